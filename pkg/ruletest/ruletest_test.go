package ruletest

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/internal/jsonschema"
)

var cases = []struct {
	src   string
	valid bool
}{
	{"version: 1\ntests: []\n", true},
	{"version: 1\ntests:\n  - name: a\n    flag: x_enabled\n    want: true\n", true},
	{"version: 1\ntests:\n  - name: a\n    env: [staging, production]\n    flag: x_enabled\n    actor: \"user:1\"\n    groups: [beta]\n    want: random\n", true},
	{"version: 1\ntests:\n  - name: a\n    env: staging\n    flag: x_enabled\n    want: false\n", true},
	{"version: 2\ntests: []\n", false},
	{"tests: []\n", false},
	{"version: 1\n", false},
	{"version: 1\ntests: {}\n", false},
	{"version: 1\ntests:\n  - name: a\n    flag: x_enabled\n", false},
	{"version: 1\ntests:\n  - name: a\n    flag: x_enabled\n    want: yes\n", false},
	{"version: 1\ntests:\n  - name: a\n    flag: x_enabled\n    want: \"true\"\n", false},
	{"version: 1\ntests:\n  - name: a\n    flg: x_enabled\n    want: true\n", false},
	{"version: 1\ntests:\n  - name: a\n    flag: x_enabled\n    groups: beta\n    actor: u\n    want: true\n", false},
	{"version: 1\ntests:\n  - name: a\n    flag: x_enabled\n    groups: [\"\"]\n    actor: u\n    want: true\n", false},
	{"version: 1\ntests:\n  - just a string\n", false},
	{"version: 1\ntests: []\nextra: 1\n", false},
}

// TestParseAndSchemaAgree checks every case with Parse and with the JSON Schema.
func TestParseAndSchemaAgree(t *testing.T) {
	s, err := jsonschema.Compile(Schema)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		_, perr := Parse("t.yaml", []byte(c.src))
		var n yaml.Node
		yaml.Unmarshal([]byte(c.src), &n)
		v, _ := jsonschema.FromYAML(&n)
		serr := s.Validate(v)
		if (perr == nil) != c.valid || (serr == nil) != c.valid {
			t.Errorf("%q: Parse %v, schema %v, want valid=%v", c.src, perr, serr, c.valid)
		}
	}
}

func TestParseCase(t *testing.T) {
	f, err := Parse("t.yaml", []byte(cases[2].src))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Cases[0]
	if c.Name != "a" || len(c.Envs) != 2 || c.Flag != "x_enabled" || c.Actor != "user:1" || len(c.Groups) != 1 || c.Want != WantRandom || c.Pos.Line != 3 || c.FlagPos.Line != 5 {
		t.Errorf("case = %+v", c)
	}
}
