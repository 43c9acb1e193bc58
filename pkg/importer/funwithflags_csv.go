package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ReadFunWithFlagsCSV reads FunWithFlags' toggles table exported with
// `psql -c "\copy fun_with_flags_toggles to 'toggles.csv' csv header"`: a
// header row naming the columns (any order; flag_name, gate_type, target and
// enabled required, inserted_at used when present), booleans as t/f (or
// true/false).
func ReadFunWithFlagsCSV(source string, data []byte, env string) (*Result, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, sourceErr(source, "1", "empty file; export with \\copy ... csv header")
	}
	if err != nil {
		return nil, csvErr(source, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var missing []string
	for _, c := range fwfColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, sourceErr(source, "1", "the header lacks column(s) %s; export FunWithFlags' toggles table with \\copy ... csv header", strings.Join(missing, ", "))
	}
	ins, hasIns := col["inserted_at"]
	b := newFWFBuilder(source, env)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(source, err)
		}
		line, _ := r.FieldPos(0)
		pos := fmt.Sprint(line)
		get := func(c string) string { return rec[col[c]] }
		var enabled bool
		switch strings.ToLower(get("enabled")) {
		case "t", "true":
			enabled = true
		case "f", "false":
		default:
			return nil, sourceErr(source, pos, "enabled %q: expected t or f", get("enabled"))
		}
		name, typ, target := get("flag_name"), get("gate_type"), get("target")
		if name == "" {
			return nil, sourceErr(source, pos, "empty flag_name")
		}
		if typ == "boolean" && target != "_fwf_none" {
			return nil, sourceErr(source, pos, "target %q: a boolean gate's target is _fwf_none", target)
		}
		if err := b.add(fwfToggle{Flag: name, Type: typ, Target: target, Enabled: enabled, Where: pos}); err != nil {
			return nil, err
		}
		if hasIns && rec[ins] != "" {
			at, err := parsePGTimestamp(rec[ins])
			if err != nil {
				return nil, sourceErr(source, pos, "inserted_at %q: %v", rec[ins], err)
			}
			b.created(name, &at)
		}
	}
	return b.result(), nil
}

// parsePGTimestamp reads psql's text form of a timestamp (with or without
// fractional seconds and zone).
func parsePGTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999Z07", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a timestamp such as 2026-10-02 12:00:00")
}

func csvErr(source string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return sourceErr(source, fmt.Sprintf("%d:%d", pe.Line, pe.Column), "not valid CSV: %v", pe.Err)
	}
	return sourceErr(source, "", "%v", err)
}
