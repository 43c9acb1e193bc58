package importer

import (
	"fmt"
	"strings"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Difference is one check where a written flag answers otherwise than the
// source would.
type Difference struct {
	Env, Flag string
	// Subject is the actor ID and groups checked: "user:7 in [beta]", or
	// "(no actor)".
	Subject string
	// Source and Flagctl are the two answers: "on", "off" or "random".
	Source, Flagctl string
}

// String renders the difference on one line.
func (d Difference) String() string {
	return fmt.Sprintf("%s [%s]: %s: the source says %s, flagctl says %s", d.Flag, d.Env, d.Subject, d.Source, d.Flagctl)
}

// Verify checks, for every flag of res that has a model, that the flag as
// written in files[env] gives the source's answer: without an actor, and for
// each actor of actors and every actor the flag names, alone, in one of the
// source's groups (in turn) and in all of them. Percentage-of-time answers are
// random on both sides or a difference. Flags missing from files are skipped
// (left alone: they exist with other gates). checked counts the flags compared.
func Verify(res *Result, files map[string]*flagfile.File, actors []string) (checked int, diffs []Difference) {
	var out []Difference
	groupsAll := func(string) bool { return true }
	for _, env := range res.Envs {
		f := files[env]
		if f == nil {
			continue
		}
		ev := eval.New(f)
		for _, fl := range res.Flags[env] {
			m := res.Models[env][fl.Name]
			if m == nil || f.Flag(fl.Name) == nil || !f.Flag(fl.Name).SameGates(fl) || f.Flag(fl.Name).Bucketing != fl.Bucketing {
				continue
			}
			checked++
			check := func(id string, groups []string, inGroup func(string) bool) {
				on, random := m.Decide(id, inGroup)
				var d eval.Decision
				if id == "" {
					d = ev.Explain(fl.Name, nil)
				} else {
					d = ev.Explain(fl.Name, subject{id, inGroup})
				}
				src, got := answer(on, random), answer(d.Enabled, d.Gate == eval.GatePercentageOfTime && d.Percentage < 1)
				if src != got {
					out = append(out, Difference{Env: env, Flag: fl.Name, Subject: describeSubject(id, groups), Source: src, Flagctl: got})
				}
			}
			check("", nil, nil)
			all := actors
			for _, g := range fl.Actors {
				all = append(all[:len(all):len(all)], g.ID)
			}
			for i, id := range all {
				check(id, nil, nil)
				if len(res.Groups) > 0 {
					g := res.Groups[i%len(res.Groups)]
					check(id, []string{g}, func(n string) bool { return n == g })
					if len(res.Groups) > 1 {
						check(id, res.Groups, groupsAll)
					}
				}
			}
		}
	}
	return checked, out
}

// subject is an eval.Actor and eval.Grouped over a predicate.
type subject struct {
	id      string
	inGroup func(string) bool
}

func (s subject) ActorID() string { return s.id }

func (s subject) InGroup(name string) bool {
	return s.inGroup != nil && s.inGroup(name)
}

func answer(on, random bool) string {
	switch {
	case random:
		return "random"
	case on:
		return "on"
	}
	return "off"
}

func describeSubject(id string, groups []string) string {
	if id == "" {
		return "(no actor)"
	}
	if len(groups) == 0 {
		return id
	}
	return id + " in [" + strings.Join(groups, ", ") + "]"
}

// GenerateActors returns n actor IDs: format with 1..n ("user:%d", Flipper's
// "User;%d").
func GenerateActors(format string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i+1)
	}
	return out
}
