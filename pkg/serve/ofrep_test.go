package serve

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/eval"
)

// actorsBySplit returns an actor inside and one outside a percentage gate p.
func actorsBySplit(t *testing.T, flag string, p float64) (in, out string) {
	t.Helper()
	for i := 1000; in == "" || out == ""; i++ {
		id := fmt.Sprintf("user:%d", i)
		if eval.Score(id, flag) <= p {
			in = id
		} else {
			out = id
		}
	}
	return in, out
}

func TestEvaluateFlag(t *testing.T) {
	_, _, ts := startStaging(t)
	in, out := actorsBySplit(t, "new_checkout_enabled", 0.25)
	tests := []struct {
		name, flag, body string
		want             string // the whole response, compact JSON
	}{
		{"actor on", "new_checkout_enabled", `{"context":{"targetingKey":"user:42"}}`,
			`{"key":"new_checkout_enabled","value":true,"reason":"TARGETING_MATCH","variant":"on","metadata":{"gate":"actor","version":"V"}}`},
		{"actor off beats an enabled group", "new_checkout_enabled", `{"context":{"targetingKey":"user:7","groups":["beta_testers"]}}`,
			`{"key":"new_checkout_enabled","value":false,"reason":"TARGETING_MATCH","variant":"off","metadata":{"gate":"actor","version":"V"}}`},
		{"group on", "new_checkout_enabled", `{"context":{"targetingKey":"` + out + `","groups":["beta_testers"]}}`,
			`{"key":"new_checkout_enabled","value":true,"reason":"TARGETING_MATCH","variant":"on","metadata":{"gate":"group","version":"V"}}`},
		{"a disabled group wins", "new_checkout_enabled", `{"context":{"targetingKey":"` + in + `","groups":["beta_testers","banned"]}}`,
			`{"key":"new_checkout_enabled","value":false,"reason":"TARGETING_MATCH","variant":"off","metadata":{"gate":"group","version":"V"}}`},
		{"groups as a comma-separated string", "new_checkout_enabled", `{"context":{"targetingKey":"` + out + `","groups":"other, beta_testers"}}`,
			`{"key":"new_checkout_enabled","value":true,"reason":"TARGETING_MATCH","variant":"on","metadata":{"gate":"group","version":"V"}}`},
		{"inside the percentage", "new_checkout_enabled", `{"context":{"targetingKey":"` + in + `","email":"a@example.com","n":[1,{"x":"}"}]}}`,
			`{"key":"new_checkout_enabled","value":true,"reason":"SPLIT","variant":"on","metadata":{"gate":"percentage_of_actors","version":"V"}}`},
		{"outside the percentage", "new_checkout_enabled", `{"context":{"targetingKey":"` + out + `"}}`,
			`{"key":"new_checkout_enabled","value":false,"reason":"SPLIT","variant":"off","metadata":{"gate":"percentage_of_actors","version":"V"}}`},
		{"boolean gate", "dark_mode_enabled", `{"context":{}}`,
			`{"key":"dark_mode_enabled","value":true,"reason":"STATIC","variant":"on","metadata":{"gate":"boolean","version":"V"}}`},
		{"no gate open", "new_checkout_enabled", `{"context":{}}`,
			`{"key":"new_checkout_enabled","value":false,"reason":"DEFAULT","variant":"off","metadata":{"gate":"none","version":"V"}}`},
		{"null targeting key is no actor", "new_checkout_enabled", `{"context":{"targetingKey":null,"groups":null}}`,
			`{"key":"new_checkout_enabled","value":false,"reason":"DEFAULT","variant":"off","metadata":{"gate":"none","version":"V"}}`},
		{"switched off", "off_enabled", `{"context":{"targetingKey":"user:42"}}`,
			`{"key":"off_enabled","value":false,"reason":"DISABLED","variant":"off","metadata":{"gate":"none","version":"V"}}`},
		{"escaped strings are decoded", "new_checkout_enabled", `{"context":{"targetingKey":"user:\u0034\u0032"}}`,
			`{"key":"new_checkout_enabled","value":true,"reason":"TARGETING_MATCH","variant":"on","metadata":{"gate":"actor","version":"V"}}`},
	}
	version := ""
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, ts.URL+"/ofrep/v1/evaluate/flags/"+tt.flag, tt.body)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			got := string(res.body)
			if version == "" {
				version = res.json(t)["metadata"].(map[string]any)["version"].(string)
				if len(version) != 64 {
					t.Fatalf("metadata.version = %q, want the file's SHA-256", version)
				}
			}
			if want := strings.Replace(tt.want, `"version":"V"`, `"version":"`+version+`"`, 1); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// TestGroupsWithoutTargetingKey needs the evaluator change of the eval branch
// (group gates for a subject with groups and no actor ID); it fails on main
// until that is merged.
func TestGroupsWithoutTargetingKey(t *testing.T) {
	_, _, ts := startStaging(t)
	res := post(t, ts.URL+"/ofrep/v1/evaluate/flags/new_checkout_enabled", `{"context":{"groups":["beta_testers"]}}`)
	m := res.json(t)
	if m["value"] != true || m["reason"] != "TARGETING_MATCH" {
		t.Fatalf("groups without targetingKey: %s, want the beta_testers group gate to decide", res.body)
	}
}

func TestEvaluateFlagErrors(t *testing.T) {
	_, _, ts := startStaging(t)
	tests := []struct {
		name, path, body string
		status           int
		want             string
	}{
		{"unknown flag", "/ofrep/v1/evaluate/flags/nope_enabled", `{"context":{}}`, 404,
			`{"key":"nope_enabled","errorCode":"FLAG_NOT_FOUND","errorDetails":"flag \"nope_enabled\" is not defined in environment staging"}`},
		{"unknown flag, key escaped in JSON", "/ofrep/v1/evaluate/flags/%3Cb%3E%22", `{"context":{}}`, 404,
			`{"key":"\u003cb\u003e\"","errorCode":"FLAG_NOT_FOUND","errorDetails":"flag \"\u003cb\u003e\\\"\" is not defined in environment staging"}`},
		{"not JSON", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":`, 400,
			`{"key":"dark_mode_enabled","errorCode":"PARSE_ERROR","errorDetails":"the request body is not valid JSON; send {\"context\": {\"targetingKey\": \"user:42\"}}"}`},
		{"empty body", "/ofrep/v1/evaluate/flags/dark_mode_enabled", ``, 400,
			`{"key":"dark_mode_enabled","errorCode":"PARSE_ERROR","errorDetails":"the request body is not valid JSON; send {\"context\": {\"targetingKey\": \"user:42\"}}"}`},
		{"not an object", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `[1]`, 400,
			`{"key":"dark_mode_enabled","errorCode":"PARSE_ERROR","errorDetails":"the request body must be a JSON object: {\"context\": {...}}"}`},
		{"no context", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"ctx":{}}`, 400,
			`{"key":"dark_mode_enabled","errorCode":"INVALID_CONTEXT","errorDetails":"the request has no \"context\" object: send {\"context\": {\"targetingKey\": \"user:42\"}}"}`},
		{"context not an object", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":"user:42"}`, 400,
			`{"key":"dark_mode_enabled","errorCode":"INVALID_CONTEXT","errorDetails":"\"context\" must be an object"}`},
		{"targetingKey not a string", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":{"targetingKey":42}}`, 400,
			`{"key":"dark_mode_enabled","errorCode":"INVALID_CONTEXT","errorDetails":"\"targetingKey\" must be a string"}`},
		{"groups not strings", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":{"groups":["a",1]}}`, 400,
			`{"key":"dark_mode_enabled","errorCode":"INVALID_CONTEXT","errorDetails":"\"groups\" must be an array of strings (or one comma-separated string)"}`},
		{"groups an object", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":{"groups":{}}}`, 400,
			`{"key":"dark_mode_enabled","errorCode":"INVALID_CONTEXT","errorDetails":"\"groups\" must be an array of strings (or one comma-separated string)"}`},
		{"oversized body", "/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":{"x":"` + strings.Repeat("a", MaxBodyBytes) + `"}}`, 413,
			`{"key":"dark_mode_enabled","errorCode":"GENERAL","errorDetails":"the request body is larger than 64 KiB"}`},
		{"bulk: not JSON", "/ofrep/v1/evaluate/flags", `nope`, 400,
			`{"errorCode":"PARSE_ERROR","errorDetails":"the request body is not valid JSON; send {\"context\": {\"targetingKey\": \"user:42\"}}"}`},
		{"bulk: invalid context", "/ofrep/v1/evaluate/flags", `{"context":{"targetingKey":true}}`, 400,
			`{"errorCode":"INVALID_CONTEXT","errorDetails":"\"targetingKey\" must be a string"}`},
		{"bulk: oversized body", "/ofrep/v1/evaluate/flags", strings.Repeat(" ", MaxBodyBytes+1), 413,
			`{"errorCode":"GENERAL","errorDetails":"the request body is larger than 64 KiB"}`},
		{"unknown environment", "/env/nope/ofrep/v1/evaluate/flags", `{"context":{}}`, 404,
			`{"errorDetails":"environment nope is not served here"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, ts.URL+tt.path, tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if got := string(res.body); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	t.Run("GET is not allowed", func(t *testing.T) {
		if res := do(t, http.MethodGet, ts.URL+"/ofrep/v1/evaluate/flags/dark_mode_enabled", ""); res.status != http.StatusMethodNotAllowed {
			t.Fatalf("status %d", res.status)
		}
	})
}

// TestInternalErrorLeaksNothing: a panic in any handler (here one mounted on
// Mux, as the dashboard will be) is a 500 that says nothing of the cause.
func TestInternalErrorLeaksNothing(t *testing.T) {
	_, s, ts := startStaging(t)
	s.Mux().HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) {
		panic("secret: /etc/flags/production.yaml password=hunter2")
	})
	res := do(t, http.MethodGet, ts.URL+"/boom", "")
	if res.status != http.StatusInternalServerError {
		t.Fatalf("status %d", res.status)
	}
	if got, want := string(res.body), `{"errorDetails":"internal server error"}`; got != want {
		t.Fatalf("body %s, want %s", got, want)
	}
}

func TestReloadIsServed(t *testing.T) {
	f, s, ts := startStaging(t)
	url := ts.URL + "/ofrep/v1/evaluate/flags/dark_mode_enabled"
	if m := post(t, url, `{"context":{}}`).json(t); m["value"] != true {
		t.Fatalf("before: %v", m)
	}
	waitChange(t, s, "staging", func() {
		f.write("staging", strings.Replace(stagingFlags, "dark_mode_enabled: true", "dark_mode_enabled: false", 1))
	})
	if m := post(t, url, `{"context":{}}`).json(t); m["value"] != false || m["reason"] != "DISABLED" {
		t.Fatalf("after the edit: %v", m)
	}
	// A broken file keeps the last good flags.
	f.write("staging", "version: 1\nflags: [\n")
	eventually(t, "the broken file to be reported", func() bool { return s.Readiness().Environments[0].Stale != "" })
	if m := post(t, url, `{"context":{}}`).json(t); m["value"] != false {
		t.Fatalf("with a broken file: %v", m)
	}
}

// TestEvaluateInvalidFlag: a flag that is in the file but has never been valid
// (no last good state to serve) is FLAG_NOT_FOUND, as the SDKs expect, but the
// details say it is invalid and where, not that it is not defined — an operator
// reading "not defined" looks for a missing flag, not for a typo.
func TestEvaluateInvalidFlag(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": "version: 1\nenvironment: staging\nflags:\n  ok_enabled: true\n  typo_enabled:\n    enabled: yes\n"})
	_, ts := start(t, Config{Environments: []Environment{f.env("staging")}})
	res := post(t, ts.URL+"/ofrep/v1/evaluate/flags/typo_enabled", `{"context":{}}`)
	want := `{"key":"typo_enabled","errorCode":"FLAG_NOT_FOUND","errorDetails":"flag \"typo_enabled\" is invalid in environment staging's flag file and has no last good state to serve: line 6, column 14: `
	if res.status != http.StatusNotFound || !strings.HasPrefix(string(res.body), want) {
		t.Fatalf("%d %s\nwant 404 starting %s", res.status, res.body, want)
	}
	if strings.Contains(string(res.body), f.dir) {
		t.Errorf("the details leak the file's path: %s", res.body)
	}
	if res := post(t, ts.URL+"/ofrep/v1/evaluate/flags/ok_enabled", `{"context":{}}`); res.status != http.StatusOK {
		t.Errorf("the valid flag beside it: %d %s", res.status, res.body)
	}
}
