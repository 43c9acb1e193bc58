package serve

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// FuzzParseRequest: the hand-written request scanner never panics, and on
// input it accepts agrees with encoding/json on the targeting key and groups.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"context":{"targetingKey":"user:42","groups":["a","b"]}}`,
		`{"context":{"targetingKey":"us\u0065r","groups":"a, b","x":{"y":[1,"}",{"z":null}]}}}`,
		`{"a":1,"context":{},"b":[true,false]}`,
		`{"context":null}`, `{"context":[]}`, `[]`, `"x"`, `{`, ``, `{"context":{"groups":[1]}}`,
		`{"context":{"targetingKey":"\ud83d\ude00","n":-1.5e3}}`,
		`{"context":{"targetingKey":"a","groups":["x"]},"context":{"groups":"y"}}`,
		`{"context":{"targetingKey":"a","targetingKey":null,"groups":["x"],"groups":[]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var c evalContext
		if err := parseRequest(body, &c); err != nil {
			return
		}
		// The oracle: encoding/json into maps (a repeated key replaces the
		// earlier one).
		var top map[string]any
		if err := json.Unmarshal(body, &top); err != nil {
			t.Fatalf("accepted what encoding/json refuses: %v", err)
		}
		ctx, _ := top["context"].(map[string]any)
		id, _ := ctx["targetingKey"].(string)
		if id != c.subject.ID {
			t.Fatalf("targetingKey %q, encoding/json says %q", c.subject.ID, id)
		}
		var groups []string
		switch g := ctx["groups"].(type) {
		case []any:
			for _, x := range g {
				groups = append(groups, x.(string))
			}
		case string:
			for _, part := range strings.Split(g, ",") {
				if part = strings.TrimSpace(part); part != "" {
					groups = append(groups, part)
				}
			}
		}
		if len(groups) != 0 || len(c.subject.Groups) != 0 {
			if !slices.Equal(groups, c.subject.Groups) {
				t.Fatalf("groups %q, encoding/json says %q", c.subject.Groups, groups)
			}
		}
		if c.hasGroups != (len(groups) > 0) {
			t.Fatalf("hasGroups %v with groups %q", c.hasGroups, groups)
		}
	})
}
