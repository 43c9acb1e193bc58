package serve

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

func TestBulkEvaluation(t *testing.T) {
	_, _, ts := startStaging(t)
	res := post(t, ts.URL+"/ofrep/v1/evaluate/flags", `{"context":{"targetingKey":"user:42","groups":["beta_testers"]}}`)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var got struct {
		Flags []struct {
			Key      string         `json:"key"`
			Value    *bool          `json:"value"`
			Reason   string         `json:"reason"`
			Variant  string         `json:"variant"`
			Metadata map[string]any `json:"metadata"`
		} `json:"flags"`
		Metadata     map[string]any   `json:"metadata"`
		EventStreams []map[string]any `json:"eventStreams"`
	}
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range got.Flags {
		keys = append(keys, f.Key+"="+f.Reason+"/"+f.Variant)
		if f.Value == nil || f.Metadata["version"] != got.Metadata["version"] {
			t.Errorf("flag %s: value %v, metadata %v", f.Key, f.Value, f.Metadata)
		}
	}
	want := []string{"dark_mode_enabled=STATIC/on", "new_checkout_enabled=TARGETING_MATCH/on", "off_enabled=DISABLED/off"}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Fatalf("flags %v, want %v (sorted by key)", keys, want)
	}
	if !sort.StringsAreSorted(keys) {
		t.Fatal("not sorted")
	}
	if got.Metadata["environment"] != "staging" || len(got.Metadata["version"].(string)) != 64 {
		t.Errorf("metadata %v", got.Metadata)
	}
	wantStream := `"eventStreams":[{"type":"sse","endpoint":{"requestUri":"/ofrep/v1/events?env=staging"},"inactivityDelaySec":120}]`
	if !strings.Contains(string(res.body), wantStream) {
		t.Errorf("body %s\nwant %s", res.body, wantStream)
	}
	if etag := res.header.Get("ETag"); etag != bodyETag(res.body) {
		t.Errorf("ETag %q is not the digest of the body", etag)
	}
}

func TestBulkETag(t *testing.T) {
	f, s, ts := startStaging(t)
	url := ts.URL + "/ofrep/v1/evaluate/flags"
	ctx42 := `{"context":{"targetingKey":"user:42"}}`
	first := post(t, url, ctx42)
	etag := first.header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || len(etag) != 34 {
		t.Fatalf("ETag %q is not a strong quoted tag", etag)
	}
	t.Run("same context, same ETag", func(t *testing.T) {
		if again := post(t, url, ctx42).header.Get("ETag"); again != etag {
			t.Fatalf("%s then %s", etag, again)
		}
	})
	t.Run("a context change that changes the answers changes the ETag", func(t *testing.T) {
		for _, body := range []string{`{"context":{"targetingKey":"user:7"}}`, `{"context":{"targetingKey":"user:1000","groups":["beta_testers"]}}`, `{"context":{}}`} {
			if other := post(t, url, body).header.Get("ETag"); other == etag {
				t.Errorf("%s: same ETag %s as for user:42", body, other)
			}
		}
	})
	t.Run("If-None-Match", func(t *testing.T) {
		for _, inm := range []string{etag, `"x", ` + etag, "W/" + etag, "*"} {
			res := post(t, url, ctx42, "If-None-Match", inm)
			if res.status != http.StatusNotModified || len(res.body) != 0 || res.header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: %d %q ETag %q", inm, res.status, res.body, res.header.Get("ETag"))
			}
		}
		// the same tag for another context is not a match
		if res := post(t, url, `{"context":{"targetingKey":"user:7"}}`, "If-None-Match", etag); res.status != http.StatusOK {
			t.Errorf("another context with user:42's ETag: %d", res.status)
		}
		if res := post(t, url, ctx42, "If-None-Match", `"stale"`); res.status != http.StatusOK {
			t.Errorf("a stale ETag: %d", res.status)
		}
	})
	t.Run("identical files give identical ETags on another replica", func(t *testing.T) {
		g := newFixture(t, map[string]string{"staging": stagingFlags})
		_, ts2 := start(t, Config{Environments: []Environment{g.env("staging")}})
		if other := post(t, ts2.URL+"/ofrep/v1/evaluate/flags", ctx42); other.header.Get("ETag") != etag || string(other.body) != string(first.body) {
			t.Fatalf("replica: %s\n%s", other.header.Get("ETag"), other.body)
		}
	})
	t.Run("a file change changes the ETag", func(t *testing.T) {
		waitChange(t, s, "staging", func() {
			f.write("staging", stagingFlags+"  added_enabled: true\n")
		})
		res := post(t, url, ctx42, "If-None-Match", etag)
		if res.status != http.StatusOK || res.header.Get("ETag") == etag || !strings.Contains(string(res.body), "added_enabled") {
			t.Fatalf("after the edit: %d %s", res.status, res.body)
		}
	})
}

// TestBulkETagPercentageOfTime: random answers are never served from the ETag
// cache; a 304 still needs the body to be the same.
func TestBulkETagPercentageOfTime(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": "version: 1\nenvironment: staging\nflags:\n  coin_enabled:\n    percentage_of_time: 50%\n"})
	s, ts := start(t, Config{Environments: []Environment{f.env("staging")}})
	if s.envs["staging"].set.Load().deterministic {
		t.Fatal("a percentage_of_time flag set is marked deterministic")
	}
	url := ts.URL + "/ofrep/v1/evaluate/flags"
	seen := map[string]bool{}
	for i := 0; i < 64 && len(seen) < 2; i++ {
		res := post(t, url, `{"context":{}}`)
		seen[res.header.Get("ETag")] = true
		again := post(t, url, `{"context":{}}`, "If-None-Match", res.header.Get("ETag"))
		if again.status == http.StatusNotModified && again.header.Get("ETag") != res.header.Get("ETag") {
			t.Fatal("304 with another ETag")
		}
		if again.status == http.StatusOK && again.header.Get("ETag") == res.header.Get("ETag") {
			t.Fatal("200 although the ETag matched")
		}
	}
	if len(seen) != 2 {
		t.Fatalf("64 draws of a 50%% flag gave %d distinct bodies", len(seen))
	}
}

// TestBulkETagCacheDistinguishesContexts: the remembered ETags are keyed by
// the whole context, so two contexts with different answers never share one:
// an actor ID holding the separator of the groups must not look like an actor
// with groups (a 304 would keep the other context's answers).
func TestBulkETagCacheDistinguishesContexts(t *testing.T) {
	_, _, ts := startStaging(t)
	url := ts.URL + "/ofrep/v1/evaluate/flags"
	tests := []struct{ first, second string }{
		{`{"context":{"targetingKey":"user:1000","groups":["beta_testers"]}}`, `{"context":{"targetingKey":"user:1000\u0000beta_testers"}}`},
		{`{"context":{"groups":["beta_testers","x"]}}`, `{"context":{"groups":["beta_testers\u0000x"]}}`},
	}
	for _, tt := range tests {
		etag := post(t, url, tt.first).header.Get("ETag")
		res := post(t, url, tt.second, "If-None-Match", etag)
		if res.status != http.StatusOK || res.header.Get("ETag") == etag {
			t.Errorf("%s with the ETag of %s: %d %s, want 200 with its own answers", tt.second, tt.first, res.status, res.header.Get("ETag"))
		}
	}
}

// TestBulkETagCacheIsBounded: the ETag cache remembers up to etagCacheSize
// contexts per flag set; a context can be 64 KiB (a huge targetingKey), so
// its entry must not hold the context itself, or 10,000 such requests keep
// 640 MB per environment.
func TestBulkETagCacheIsBounded(t *testing.T) {
	_, s, ts := startStaging(t)
	huge := strings.Repeat("x", 60000)
	if res := post(t, ts.URL+"/ofrep/v1/evaluate/flags", `{"context":{"targetingKey":"`+huge+`","groups":["`+huge[:2000]+`"]}}`); res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.body)
	}
	set := s.envs["staging"].set.Load()
	set.etags.mu.Lock()
	defer set.etags.mu.Unlock()
	if len(set.etags.m) != 1 {
		t.Fatalf("%d entries, want 1", len(set.etags.m))
	}
	for k, v := range set.etags.m {
		if size := len(k) + len(v); size > 128 {
			t.Errorf("one entry holds %d bytes", size)
		}
	}
}
