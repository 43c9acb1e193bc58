package ruletest

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of a version-1 rule-test file.
//
//go:embed test.schema.json
var Schema []byte
