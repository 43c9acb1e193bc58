package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeJSON decodes data into v; a syntax or type error becomes a SourceError
// with the line and column.
func decodeJSON(source string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			return sourceErr(source, lineCol(data, dec.InputOffset()), "unexpected data after the JSON document; the file must hold exactly one")
		}
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return sourceErr(source, lineCol(data, max(se.Offset-1, 0)), "not valid JSON: %v", se)
	case errors.As(err, &te):
		what := te.Field
		if what == "" {
			what = "the document"
		}
		return sourceErr(source, lineCol(data, max(te.Offset-1, 0)), "%s: expected %s, found a JSON %s", what, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return sourceErr(source, lineCol(data, int64(len(data))), "not valid JSON: the document is empty or cut short")
	}
	return sourceErr(source, "", "not valid JSON: %v", err)
}

func jsonKind(k string) string {
	switch k {
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "ptr", "interface":
		return "a value"
	}
	return "a number"
}

// lineCol renders a byte offset as "line:column" (columns count characters).
func lineCol(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, start := 1, 0
	for i := 0; i < int(off); i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return fmt.Sprintf("%d:%d", line, utf8.RuneCount(data[start:off])+1)
}

// jsonDoc finds the positions of values in a JSON document. The index of
// every value's position (to depth 4) is built on first use, in one pass.
type jsonDoc struct {
	data []byte
	idx  map[string]int64
}

// pos returns "line:column" of the value at path (object keys, array indexes
// as decimal strings), or "" when there is none.
func (d *jsonDoc) pos(path ...string) string {
	if d.idx == nil {
		d.idx = map[string]int64{}
		dec := json.NewDecoder(bytes.NewReader(d.data))
		d.index(dec, nil)
	}
	for len(path) > 0 {
		if off, ok := d.idx[strings.Join(path, "\x00")]; ok {
			return lineCol(d.data, off)
		}
		path = path[:len(path)-1] // the nearest enclosing value
	}
	return ""
}

func (d *jsonDoc) index(dec *json.Decoder, path []string) bool {
	start := dec.InputOffset()
	for start < int64(len(d.data)) && bytes.IndexByte([]byte(" \t\r\n:,"), d.data[start]) >= 0 {
		start++
	}
	d.idx[strings.Join(path, "\x00")] = start
	if len(path) >= 4 {
		return skipJSON(dec)
	}
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return false
			}
			ks, _ := k.(string)
			if !d.index(dec, append(path[:len(path):len(path)], ks)) {
				return false
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if !d.index(dec, append(path[:len(path):len(path)], strconv.Itoa(i))) {
				return false
			}
		}
		_, err = dec.Token()
	}
	return err == nil
}

// skipJSON reads one value; the opening token may already be read.
func skipJSON(dec *json.Decoder) bool {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return true
		}
	}
}
