package jsonschema

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestValidator(t *testing.T) {
	s, err := Compile([]byte(`{"type":"object","required":["a"],"additionalProperties":false,
	"properties":{"a":{"oneOf":[{"type":"boolean"},{"$ref":"#/$defs/p"}]},"b":{"type":"array","items":{"enum":["x","y"]}}},
	"$defs":{"p":{"type":"string","pattern":"^[0-9]+%$","not":{"const":"0%"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for src, ok := range map[string]bool{
		"a: true": true, "a: 25%": true, "a: 0%": false, "a: x": false, "b: [x]": false,
		"a: true\nb: [x, y]": true, "a: true\nb: [z]": false, "a: true\nc: 1": false,
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(src), &n); err != nil {
			t.Fatal(err)
		}
		v, _ := FromYAML(&n)
		if err := s.Validate(v); (err == nil) != ok {
			t.Errorf("%q: err = %v, want valid=%v", src, err, ok)
		}
	}
}
