package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/pkg/flagfile"
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
	// Ramp describes a ramped percentage gate; Timeline lists the dated changes
	// of ramps and the schedule (see schedule.go).
	Ramp     string         `json:"ramp,omitempty" yaml:"ramp,omitempty"`
	Timeline []TimelineJSON `json:"timeline,omitempty" yaml:"timeline,omitempty"`
	// Status says in words what the ramps and schedule are now and what is next.
	Status string `json:"status,omitempty" yaml:"status,omitempty"`
	// State is the one-line summary list prints.
	State string `json:"state" yaml:"state"`
}

// flagJSON describes fl; now is the time ramps and schedules are judged at.
func flagJSON(fl *flagfile.Flag, now time.Time) FlagJSON {
	j := FlagJSON{
		Name: fl.Name, Description: fl.Description, Owner: fl.Owner, Kind: string(fl.Kind),
		Created: fl.Created.String(), Expires: fl.Expires.String(), Boolean: fl.Boolean,
		State: summary(fl),
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
		j.PercentageOfActors = fl.PercentageOfActors.String()
	}
	if fl.PercentageOfTime != 0 {
		j.PercentageOfTime = fl.PercentageOfTime.String()
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
		parts = append(parts, fl.PercentageOfActors.String()+" of actors")
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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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

func (t *table) row(cells ...string) { fmt.Fprintln(t.tw, strings.Join(cells, "\t")) }

func (t *table) flush() error { return t.tw.Flush() }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
