package eval

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Decision explains one check: the result, the gate that decided it and why.
type Decision struct {
	Flag    string
	Enabled bool
	// Gate is the deciding gate (GateUndefined for an undefined flag, GateNone when
	// no gate was open).
	Gate Gate
	// Key is the actor ID (actor gate) or group name (group gate) that decided.
	Key string
	// ActorID is the ID the check was made for ("" without an actor).
	ActorID string
	// Score is the actor's score for the flag (see Score); valid when HasScore.
	Score    float64
	HasScore bool
	// Percentage is the percentage gate's value as a fraction of 1, for
	// percentage gates.
	Percentage float64
	// LastGood is true when the flag is invalid in the current file and is served
	// from its last good state.
	LastGood bool
	// Timeline, for a flag with a ramp or schedule, says what its gates are now
	// and what changes next, e.g. "ramp at 25.4%, 100% on 2026-12-14 09:00 UTC";
	// "" for other flags.
	Timeline string
}

// Explain evaluates flag like EnabledFor (a may be nil) and says which gate
// decided. For a percentage-of-time gate the result is a fresh random draw.
// Observers are told about the check, as for EnabledFor.
func (e *Evaluator) Explain(flag string, a Actor) Decision {
	d := e.explain(flag, a)
	if e.observer != nil {
		e.observer.Observe(Evaluation{Flag: flag, ActorID: d.ActorID, Enabled: d.Enabled, Gate: d.Gate})
	}
	return d
}

func (e *Evaluator) explain(flag string, a Actor) Decision {
	d := Decision{Flag: flag}
	if a != nil {
		d.ActorID = a.ActorID()
	}
	if d.ActorID != "" {
		d.Score, d.HasScore = Score(d.ActorID, flag), true
	}
	c, _ := e.snap.Load().table.get(flag)
	if c == nil {
		d.Gate = GateUndefined
		return d
	}
	d.LastGood = c.lastGood
	d.Timeline = e.timedStatus(c)
	if c.timed != nil {
		c = c.timed.cur.Load() // one state for the decision and its percentage
	}
	if c.flipper && d.HasScore {
		// Flipper's bucket as a fraction: the gate is open when it is below the
		// percentage.
		d.Score = float64(FlipperBucket(flag, d.ActorID)) / FlipperBuckets
	}
	d.Enabled, d.Gate, d.Key = c.decide(a)
	switch d.Gate {
	case GatePercentageOfActors:
		d.Percentage = float64(c.pctActors) / float64(flagfile.PercentMax)
	case GatePercentageOfTime:
		d.Percentage = float64(c.pctTime) / float64(flagfile.PercentMax)
	}
	return d
}

// String says in one line what decided, e.g. "actor user:42 → on".
func (d Decision) String() string {
	state := map[bool]string{true: "on", false: "off"}[d.Enabled]
	var s string
	switch d.Gate {
	case GateUndefined:
		s = "undefined flag → off"
	case GateNone:
		s = "no gate open → off"
	case GateActor:
		s = fmt.Sprintf("actor %s → %s", d.Key, state)
	case GateGroup:
		s = fmt.Sprintf("group %s → %s", d.Key, state)
	case GateBoolean:
		s = "boolean → on"
	case GatePercentageOfActors:
		s = fmt.Sprintf("percentage_of_actors %s, score %.5f → %s", flagfile.Percent(d.Percentage*float64(flagfile.PercentMax)+0.5), d.Score, state)
	case GatePercentageOfTime:
		s = fmt.Sprintf("percentage_of_time %s → %s (random draw)", flagfile.Percent(d.Percentage*float64(flagfile.PercentMax)+0.5), state)
	case GateOverride:
		s = fmt.Sprintf("test override → %s", state)
	default:
		s = d.Gate.String()
	}
	if d.Timeline != "" {
		s += " (" + d.Timeline + ")"
	}
	if d.LastGood {
		s += " (last good state: the flag is invalid in the current file)"
	}
	return s
}
