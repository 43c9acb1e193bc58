package cmd

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

func TestServeArgvToOptions(t *testing.T) {
	tests := []struct {
		name    string
		argv    []string
		want    *ServeOptions
		wantErr string
	}{
		{"defaults", nil, &ServeOptions{Addr: DefaultServeAddr, LogFormat: "text"}, ""},
		{"everything", []string{"--addr", ":9000", "--env", "staging,production", "-e", "dev", "--cors-origin", "https://a.example", "--rate-limit", "5", "--rate-burst", "10", "--insecure-no-auth", "--wait-for-files", "--log-format", "json"},
			&ServeOptions{Addr: ":9000", Envs: []string{"staging", "production", "dev"}, CORSOrigins: []string{"https://a.example"}, RateLimit: 5, RateBurst: 10, InsecureNoAuth: true, WaitForFiles: true, LogFormat: "json"}, ""},
		{"bad log format", []string{"--log-format", "xml"}, nil, `invalid --log-format "xml": use text, json`},
		{"arguments", []string{"x"}, nil, `unexpected argument "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, _ := TestStreams()
			f := NewFactory(io)
			var got *ServeOptions
			root := NewCmdRoot(f)
			replaceCmd(root, NewCmdServe(f, func(o *ServeOptions) error { got = o; return nil }))
			root.SetArgs(append([]string{"serve"}, tt.argv...))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func replaceCmd(root, c *cobra.Command) {
	for _, old := range root.Commands() {
		if old.Name() == c.Name() {
			root.RemoveCommand(old)
		}
	}
	root.AddCommand(c)
}

// serveProject runs `flagctl serve ARGS` in a project until the test ends; it
// returns the base URL, or the error serve stopped with before listening.
func serveProject(t *testing.T, p *project, env map[string]string, args ...string) (string, error) {
	t.Helper()
	io, _, errOut := TestStreams()
	f := NewFactory(io)
	f.WorkDir = p.dir
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	root := NewCmdRoot(f)
	var sc *cobra.Command
	sc = NewCmdServe(f, func(o *ServeOptions) error {
		o.Context = ctx
		o.Listening = func(a string) { addr <- a }
		return serveRun(f, sc, o)
	})
	replaceCmd(root, sc)
	root.SetArgs(append([]string{"serve"}, args...))
	go func() { done <- root.Execute() }()
	select {
	case a := <-addr:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
			if !strings.Contains(errOut.String(), "shutting down") {
				t.Errorf("no shutdown log:\n%s", errOut)
			}
		})
		return "http://" + a, nil
	case err := <-done:
		cancel()
		return "", err
	}
}

func servePost(t *testing.T, url, body string, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

const serveConfig = `dir: flags
environments: [staging, production]
default_env: staging
serve:
  api_keys:
    staging: [stg-key-1, stg-key-2]
  api_key_files:
    production: secrets/production.keys
  cors_origins: [https://app.example.com]
`

func TestServeRun(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":           serveConfig,
		"secrets/production.keys": "# production readers\nprd-key\n",
		"flags/staging.yaml":      "version: 1\nenvironment: staging\nflags:\n  dark_mode_enabled: true\n",
		"flags/production.yaml":   "version: 1\nenvironment: production\nflags:\n  dark_mode_enabled: false\n",
	})
	base, err := serveProject(t, p, nil, "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := base + "/ofrep/v1/evaluate/flags/dark_mode_enabled"
	tests := []struct {
		name    string
		headers []string
		status  int
		value   string
	}{
		{"no key", nil, 401, ""},
		{"wrong key", []string{"X-API-Key", "nope"}, 401, ""},
		{"staging key", []string{"X-API-Key", "stg-key-2"}, 200, `"value":true`},
		{"production key from the key file, as a bearer token", []string{"Authorization", "Bearer prd-key"}, 200, `"value":false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := servePost(t, url, `{"context":{}}`, tt.headers...)
			if status != tt.status || !strings.Contains(body, tt.value) {
				t.Fatalf("%d %s", status, body)
			}
		})
	}
}

func TestServeRefusals(t *testing.T) {
	files := map[string]string{
		".flagctl.yaml":      "dir: flags\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n",
	}
	tests := []struct {
		name    string
		config  string
		env     map[string]string
		args    []string
		wantErr string
	}{
		{"non-loopback without keys", "", nil, []string{"--addr", "0.0.0.0:0"}, "refusing to serve 0.0.0.0:0 without API keys"},
		{"keys for an unknown environment", "serve:\n  api_keys:\n    prod: k\n", nil, []string{"--addr", "127.0.0.1:0"}, "API keys are configured for unknown environments: prod"},
		{"unknown --env", "", nil, []string{"--addr", "127.0.0.1:0", "--env", "stagin"}, `unknown environment "stagin"`},
		{"bad key variable", "", map[string]string{"FLAGCTL_SERVE_API_KEYS": "staging"}, []string{"--addr", "127.0.0.1:0"}, "FLAGCTL_SERVE_API_KEYS: an entry is not env=key (write staging=KEY,production=KEY)"},
		{"missing key file", "serve:\n  api_key_files:\n    staging: nope.keys\n", nil, []string{"--addr", "127.0.0.1:0"}, "serve.api_key_files.staging:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := map[string]string{}
			for k, v := range files {
				fs[k] = v
			}
			fs[".flagctl.yaml"] += tt.config
			_, err := serveProject(t, newProject(t, fs), tt.env, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestServeInsecureNoAuthAndKeyVariable(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "dir: flags\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n",
	})
	base, err := serveProject(t, p, map[string]string{"FLAGCTL_SERVE_API_KEYS": "staging=from-env"}, "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := servePost(t, base+"/ofrep/v1/evaluate/flags/a_enabled", `{"context":{}}`, "X-API-Key", "from-env"); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	base, err = serveProject(t, p, map[string]string{"FLAGCTL_SERVE_API_KEYS": ""}, "--addr", "0.0.0.0:0", "--insecure-no-auth")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := servePost(t, base+"/ofrep/v1/evaluate/flags/a_enabled", `{"context":{}}`); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
}

// TestServeWaitForFiles: a git-sync layout whose checkout is not there yet
// starts unready and becomes ready when the file appears.
func TestServeWaitForFiles(t *testing.T) {
	p := newProject(t, map[string]string{".flagctl.yaml": "dir: git/current/flags\n"})
	base, err := serveProject(t, p, nil, "--addr", "127.0.0.1:0", "--env", "production", "--wait-for-files")
	if err != nil {
		t.Fatal(err)
	}
	get := func() int {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz before the checkout: %d", code)
	}
	dir := filepath.Join(p.dir, "git", "current", "flags")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "production.yaml"), []byte("version: 1\nenvironment: production\nflags:\n  a_enabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for get() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeFile: --file serves one file, named after its environment: field.
func TestServeFile(t *testing.T) {
	p := newProject(t, map[string]string{
		"etc/flags.yaml": "version: 1\nenvironment: production\nflags:\n  a_enabled: true\n",
	})
	base, err := serveProject(t, p, nil, "--addr", "127.0.0.1:0", "--file", filepath.Join(p.dir, "etc", "flags.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/ofrep/v1/evaluate/flags/a_enabled", "/env/production/ofrep/v1/evaluate/flags/a_enabled"} {
		if status, body := servePost(t, base+path, `{"context":{}}`); status != 200 || !strings.Contains(body, `"value":true`) {
			t.Fatalf("%s: %d %s", path, status, body)
		}
	}
}

// TestServeFileWithProjectKeys: --file serves one environment of a project
// whose configuration has keys for several; the other environments' keys are
// not an error (as with --env), and only the served environment's keys read it.
func TestServeFileWithProjectKeys(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\nserve:\n  api_keys:\n    staging: stg-key\n    production: prd-key\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  a_enabled: false\n",
	})
	base, err := serveProject(t, p, nil, "--addr", "127.0.0.1:0", "--file", filepath.Join(p.dir, "flags", "production.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key    string
		status int
		value  string
	}{
		{"prd-key", 200, `"value":false`},
		{"stg-key", 401, ""},
		{"", 401, ""},
	}
	for _, tt := range tests {
		status, body := servePost(t, base+"/ofrep/v1/evaluate/flags/a_enabled", `{"context":{}}`, "X-API-Key", tt.key)
		if status != tt.status || !strings.Contains(body, tt.value) {
			t.Errorf("key %q: %d %s, want %d %s", tt.key, status, body, tt.status, tt.value)
		}
	}
}
