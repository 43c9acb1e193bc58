package flagfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/internal/jsonschema"
)

// schemaBlind lists the invalid fixtures whose problem JSON Schema cannot see:
// below the data model (bytes, YAML syntax, duplicates, anchors) or across
// fields and files.
var schemaBlind = map[string]string{
	"tabs": "YAML syntax", "not_utf8": "bytes", "not_yaml": "YAML syntax", "two_documents": "YAML syntax",
	"anchors": "YAML syntax", "merge_key": "YAML syntax", "duplicate_key": "lost in the data model",
	"duplicate_flag": "lost in the data model", "env_mismatch": "needs the file name",
	"expires_before_created": "compares two fields",
	"ramp_end_before_start":  "compares two fields", "ramp_end_equals_start": "compares two fields",
	"schedule_unsorted": "compares list entries",
}

// TestSchemaAgreesWithParse runs every fixture of the golden corpus through both
// the JSON Schema and Parse: valid fixtures must pass both, invalid ones fail both
// (except where the schema cannot see the problem, listed above).
func TestSchemaAgreesWithParse(t *testing.T) {
	s, err := jsonschema.Compile(Schema)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	checked := 0
	for _, p := range files {
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		if _, blind := schemaBlind[name]; blind && strings.Contains(p, "invalid") {
			continue
		}
		data, _ := os.ReadFile(p)
		_, parseErr := Parse(p, data, ParseOptions{})
		var n yaml.Node
		var schemaErr error
		if err := yaml.Unmarshal(data, &n); err != nil {
			schemaErr = err
		} else if v, err := jsonschema.FromYAML(&n); err != nil {
			schemaErr = err
		} else {
			schemaErr = s.Validate(v)
		}
		if (parseErr == nil) != (schemaErr == nil) {
			t.Errorf("%s: Parse says %v, the schema says %v", p, parseErr, schemaErr)
		}
		checked++
	}
	if checked < 25 {
		t.Errorf("only %d fixtures checked", checked)
	}
}
