package cmd

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestServeUI(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\nserve:\n  api_keys:\n    staging: k\n  ui:\n    users_file: users.yaml\n    protected: [production]\n",
		"users.yaml":            "users:\n  - name: ada\n    email: ada@example.com\n    password_hash: '" + string(hash) + "'\n    roles: {\"*\": editor}\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  a_enabled: false\n",
	})
	base, err := serveProject(t, p, nil, "--addr", "127.0.0.1:0", "--ui")
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(base + "/ui/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("with a users file the list needs a sign-in: %d", res.StatusCode)
	}
	res, err = client.PostForm(base+"/ui/login", map[string][]string{"name": {"ada"}, "password": {"pw"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"/ui/flags/a_enabled", nil)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Protected environment") {
		t.Fatalf("flag page: %d\n%s", res.StatusCode, body)
	}
}

func TestServeUIRefusals(t *testing.T) {
	files := map[string]string{
		".flagctl.yaml":      "dir: flags\nserve:\n  api_keys:\n    staging: k\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n",
	}
	tests := []struct {
		name, config string
		args         []string
		wantErr      string
	}{
		{"dashboard options without --ui", "", []string{"--addr", "127.0.0.1:0", "--commit"}, "add --ui"},
		{"non-loopback without dashboard auth", "", []string{"--addr", "0.0.0.0:0", "--ui"}, "refusing to serve the dashboard on 0.0.0.0:0 without authentication"},
		{"missing users file", "  ui:\n    users_file: nope.yaml\n", []string{"--addr", "127.0.0.1:0", "--ui"}, "serve.ui.users_file"},
		{"bad proxy", "  ui:\n    trusted_proxies: [not-an-ip]\n", []string{"--addr", "127.0.0.1:0", "--ui"}, `"not-an-ip" is not an address or CIDR`},
		{"unknown protected environment", "  ui:\n    protected: [prod]\n", []string{"--addr", "127.0.0.1:0", "--ui"}, "protected environment prod is not served"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := map[string]string{}
			for k, v := range files {
				fs[k] = v
			}
			fs[".flagctl.yaml"] += tt.config
			_, err := serveProject(t, newProject(t, fs), nil, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}
