package flagfile

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of a version-1 flag file, for editors
// (yaml-language-server) and other tools. It cannot express everything Parse
// checks (duplicate keys, YAML 1.1 booleans written True, dates that do not exist,
// expires before created, anchors): Parse stays the authority.
//
//go:embed schema/flagfile.schema.json
var Schema []byte
