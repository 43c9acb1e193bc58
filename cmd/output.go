package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// FlagJSON is the documented JSON/YAML shape of one flag in one environment
// (list, show).
type FlagJSON struct {
	Name               string          `json:"name" yaml:"name"`
	Description        string          `json:"description,omitempty" yaml:"description,omitempty"`
	Owner              string          `json:"owner,omitempty" yaml:"owner,omitempty"`
	Kind               string          `json:"kind,omitempty" yaml:"kind,omitempty"`
	Created            string          `json:"created,omitempty" yaml:"created,omitempty"`
	Expires            string          `json:"expires,omitempty" yaml:"expires,omitempty"`
	Boolean            *bool           `json:"boolean,omitempty" yaml:"boolean,omitempty"`
	Actors             map[string]bool `json:"actors,omitempty" yaml:"actors,omitempty"`
	Groups             map[string]bool `json:"groups,omitempty" yaml:"groups,omitempty"`
	PercentageOfActors string          `json:"percentage_of_actors,omitempty" yaml:"percentage_of_actors,omitempty"`
	PercentageOfTime   string          `json:"percentage_of_time,omitempty" yaml:"percentage_of_time,omitempty"`
	// PercentageOfActorsFraction and PercentageOfTimeFraction are the same
	// percentages as numbers (0.25 for 25%), for scripts.
	PercentageOfActorsFraction *float64 `json:"percentage_of_actors_fraction,omitempty" yaml:"percentage_of_actors_fraction,omitempty"`
	PercentageOfTimeFraction   *float64 `json:"percentage_of_time_fraction,omitempty" yaml:"percentage_of_time_fraction,omitempty"`
	// Ramp describes a ramped percentage gate; Timeline lists the dated changes
	// of ramps and the schedule (see schedule.go).
	Ramp     string         `json:"ramp,omitempty" yaml:"ramp,omitempty"`
	Timeline []TimelineJSON `json:"timeline,omitempty" yaml:"timeline,omitempty"`
	// Status says in words what the ramps and schedule are now and what is next.
	Status string `json:"status,omitempty" yaml:"status,omitempty"`
	// Bucketing is "flipper" for flags that keep Flipper's cohorts.
	Bucketing string `json:"bucketing,omitempty" yaml:"bucketing,omitempty"`
	// State is the one-line summary list prints.
	State string `json:"state" yaml:"state"`
}

// flagJSON describes fl; now is the time ramps and schedules are judged at.
func flagJSON(fl *flagfile.Flag, now time.Time) FlagJSON {
	j := FlagJSON{
		Name: fl.Name, Description: fl.Description, Owner: fl.Owner, Kind: string(fl.Kind),
		Created: fl.Created.String(), Expires: fl.Expires.String(), Boolean: fl.Boolean,
		Bucketing: string(fl.Bucketing), State: summary(fl),
	}
	gateMap := func(gs []flagfile.Gate) map[string]bool {
		if len(gs) == 0 {
			return nil
		}
		m := make(map[string]bool, len(gs))
		for _, g := range gs {
			m[g.ID] = g.Enabled
		}
		return m
	}
	j.Actors, j.Groups = gateMap(fl.Actors), gateMap(fl.Groups)
	if fl.PercentageOfActors != 0 {
		v := fl.PercentageOfActors.Float()
		j.PercentageOfActors, j.PercentageOfActorsFraction = fl.PercentageOfActors.String(), &v
	}
	if fl.PercentageOfTime != 0 {
		v := fl.PercentageOfTime.Float()
		j.PercentageOfTime, j.PercentageOfTimeFraction = fl.PercentageOfTime.String(), &v
	}
	timedJSON(&j, fl, now) // ramps and schedules (schedule.go)
	return j
}

// summary describes a flag's gates in one line: "on", "off", "off; on for 2
// actors, group beta, 25% of actors".
func summary(fl *flagfile.Flag) string {
	if fl == nil {
		return "-"
	}
	base := "off"
	if fl.BooleanOn() {
		base = "on"
	}
	var parts []string
	gates := func(kind string, gs []flagfile.Gate, on bool) {
		var ids []string
		for _, g := range gs {
			if g.Enabled == on {
				ids = append(ids, g.ID)
			}
		}
		switch {
		case len(ids) == 0:
		case len(ids) <= 2:
			parts = append(parts, kind+" "+strings.Join(ids, ", "))
		default:
			parts = append(parts, fmt.Sprintf("%d %ss", len(ids), kind))
		}
	}
	var onParts, offParts []string
	gates("actor", fl.Actors, true)
	gates("group", fl.Groups, true)
	if fl.PercentageOfActors != 0 {
		part := fl.PercentageOfActors.String() + " of actors"
		if fl.Bucketing != flagfile.BucketingDefault {
			part += " (" + string(fl.Bucketing) + " bucketing)"
		}
		parts = append(parts, part)
	}
	if fl.PercentageOfTime != 0 {
		parts = append(parts, fl.PercentageOfTime.String()+" of the time")
	}
	onParts, parts = parts, nil
	gates("actor", fl.Actors, false)
	gates("group", fl.Groups, false)
	offParts = parts
	s := base
	if len(onParts) > 0 && base == "off" {
		s += "; on for " + strings.Join(onParts, ", ")
	}
	if len(offParts) > 0 {
		s += "; off for " + strings.Join(offParts, ", ")
	}
	return s
}

// outputFormat reads -o/--output and --format as one option (a verb that had
// --format keeps it): either may name any of formats (the first is the
// default); both, with different values, is a usage error.
func outputFormat(cmd *cobra.Command, formats ...string) (string, error) {
	got := formats[0]
	var from string
	for _, name := range []string{"output", "format"} {
		fl := cmd.Flags().Lookup(name)
		if fl == nil || !fl.Changed {
			continue
		}
		v := fl.Value.String()
		if err := checkFormat(name, v, formats...); err != nil {
			return "", err
		}
		if from != "" && v != got {
			return "", flagErrorf("--%s %s and --%s %s: they are the same option; give one", from, got, name, v)
		}
		got, from = v, name
	}
	return got, nil
}

// boolText is a test's want or got: "true", "false" or "random"; in JSON the
// first two are booleans.
type boolText string

// MarshalJSON writes true and false as JSON booleans, anything else as a string.
func (b boolText) MarshalJSON() ([]byte, error) {
	switch b {
	case "true", "false":
		return []byte(b), nil
	}
	return json.Marshal(string(b))
}

// MarshalYAML writes true and false as YAML booleans, anything else as a
// string.
func (b boolText) MarshalYAML() (any, error) {
	switch b {
	case "true", "false":
		return b == "true", nil
	}
	return string(b), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeYAMLOfJSON writes v as YAML in exactly its JSON shape (the JSON field
// names, omitempty and order), for the types whose only tags are json tags:
// JSON is YAML, so the encoded JSON is parsed as a YAML node tree and written
// in block style. Like log's JSON, no raw control or bidirectional-override
// character reaches a terminal: a string holding one is double-quoted, where
// it is written as a \uXXXX escape.
func writeYAMLOfJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var doc yaml.Node // the YAML parser refuses raw DEL and C1 controls
	if err := yaml.Unmarshal(history.EscapeJSON(b), &doc); err != nil {
		return err
	}
	blockStyle(&doc)
	var out bytes.Buffer
	if err := writeYAML(&out, &doc); err != nil {
		return err
	}
	_, err = w.Write(history.EscapeJSON(out.Bytes()))
	return err
}

// blockStyle clears the flow and quoting styles a parsed JSON document has,
// so the encoder writes block YAML and quotes only what needs it, and
// double-quotes a string holding a character history.EscapeJSON escapes.
func blockStyle(n *yaml.Node) {
	n.Style = 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && (yaml11Bool(n.Value) || string(history.EscapeJSON([]byte(n.Value))) != n.Value) {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// yaml11Bool reports whether s is a word YAML 1.1 readers (PyYAML, Ruby) take
// for a boolean: "off" is a gate's state, so it is written quoted.
func yaml11Bool(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "on", "off", "true", "false":
		return true
	}
	return false
}

func writeYAML(w io.Writer, v any) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	defer enc.Close()
	return enc.Encode(v)
}

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer) *table { return &table{tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)} }

// row writes one row; control characters in the cells (a hand-written
// description can hold escape sequences, tabs or newlines) are printed escaped,
// so a cell can neither drive the terminal nor start a row of its own.
func (t *table) row(cells ...string) {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = history.EscapeControl(c)
	}
	t.rawRow(safe...)
}

// rawRow writes cells that are already safe to print (escaped, or painted by
// IOStreams).
func (t *table) rawRow(cells ...string) { fmt.Fprintln(t.tw, strings.Join(cells, "\t")) }

func (t *table) flush() error { return t.tw.Flush() }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
