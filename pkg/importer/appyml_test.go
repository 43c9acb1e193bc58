package importer

import (
	"regexp"
	"strings"
	"testing"
)

func TestReadAppYML(t *testing.T) {
	res, err := ReadAppYML("application.yml", readTestdata(t, "application.yml"), regexp.MustCompile(DefaultAppYMLKeys), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Envs, ",") != "development,test,production" {
		t.Fatalf("envs = %v", res.Envs)
	}
	want := map[string]string{
		"development": "  account_reset_enabled: {enabled: true}\n  doc_auth_enabled: {enabled: true}\n  otp_delivery_blocklist_enabled: {enabled: true}\n  nested_enabled: {enabled: true}\n",
		"test":        "  account_reset_enabled: {enabled: false}\n  doc_auth_enabled: {enabled: false}\n  otp_delivery_blocklist_enabled: {enabled: true}\n",
		"production":  "  account_reset_enabled: {enabled: true}\n  doc_auth_enabled: {enabled: false}\n",
	}
	for env, w := range want {
		if got := summarize(res.Flags[env]); got != w {
			t.Errorf("%s:\n%s\nwant:\n%s", env, got, w)
		}
	}
	var issues []string
	for _, is := range res.Issues {
		if is.Env == "production" {
			issues = append(issues, is.String())
		}
	}
	wantIssues := []string{
		`application.yml:6:22: phone_setup_enabled [production]: phone_setup_enabled is the quoted string "true" (a string in Ruby; write true unquoted to make it a flag): not a boolean, not imported`,
		`application.yml:7:18: piv_cac_enabled [production]: piv_cac_enabled is yes (a YAML 1.1 boolean to Ruby, a string to YAML 1.2; write true or false): not a boolean, not imported`,
		`application.yml:8:18: redirect_enabled [production]: redirect_enabled is empty: not a boolean, not imported`,
		`application.yml:24:35: otp_delivery_blocklist_enabled [production]: otp_delivery_blocklist_enabled is the string "{\"default\":100}": not a boolean, not imported`,
	}
	if strings.Join(issues, "\n") != strings.Join(wantIssues, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(issues, "\n"), strings.Join(wantIssues, "\n"))
	}
	// --keys selects other keys; --env narrows.
	res, err = ReadAppYML("application.yml", readTestdata(t, "application.yml"), regexp.MustCompile(`^(doc_auth|idv_max)`), nil, []string{"test"})
	if err != nil {
		t.Fatal(err)
	}
	if got := summarize(res.Flags["test"]); got != "  doc_auth_enabled: {enabled: false}\n" || len(res.Envs) != 1 || len(res.Issues) != 1 || !strings.Contains(res.Issues[0].Msg, "idv_max_attempts is the number 2") {
		t.Errorf("narrowed: %v %s %v", res.Envs, got, res.Issues)
	}
	_, files := writeResult(t, res, t.TempDir(), Options{})
	if got := string(files["test"].Source()); got != "version: 1\nenvironment: test\nflags:\n  doc_auth_enabled: false\n" {
		t.Errorf("file:\n%s", got)
	}
	if _, diffs := Verify(res, files, GenerateActors("user:%d", 10)); len(diffs) > 0 {
		t.Error(diffs)
	}
}

func TestReadAppYMLBadInput(t *testing.T) {
	keys := regexp.MustCompile(DefaultAppYMLKeys)
	tests := []struct {
		name, data string
		only       []string
		want       string
	}{
		{"empty", "", nil, "a.yml:1:1: empty file"},
		{"syntax", "a_enabled: true\n b: [\n", nil, "a.yml:2: not valid YAML"},
		{"list", "- a\n", nil, "a.yml:1:1: application.yml must be a mapping"},
		{"no env blocks", "a_enabled: true\n", nil, "a.yml: no environment blocks"},
		{"merge cycle", "a: &a\n  <<: *a\nproduction:\n  <<: *a\n", nil, "a.yml:1:4: a merge key (<<) includes the mapping it is in"},
		{"env missing", "a_enabled: true\nproduction:\n  b_enabled: true\n", []string{"staging"}, "a.yml: no environment block staging (the file has production)"},
	}
	for _, tt := range tests {
		_, err := ReadAppYML("a.yml", []byte(tt.data), keys, nil, tt.only)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.want)
		}
	}
	// Without blocks, the defaults go to the one environment named.
	res, err := ReadAppYML("a.yml", []byte("a_enabled: true\n"), keys, nil, []string{"staging"})
	if err != nil || summarize(res.Flags["staging"]) != "  a_enabled: {enabled: true}\n" {
		t.Errorf("defaults only: %v %v", err, res)
	}
}
