package importer

import (
	"crypto/sha256"
	"hash/crc32"
	"strconv"
)

// Model is a source system's own answer for one flag, written from that
// system's source code independently of pkg/eval, so that --verify compares
// two implementations.
type Model interface {
	// Decide answers for an actor ("" = none) in the groups inGroup accepts.
	// random is true when the answer is drawn at random (a percentage-of-time
	// gate): it is then not compared, only that both sides draw.
	Decide(actorID string, inGroup func(string) bool) (on, random bool)
}

// FWFGates is one FunWithFlags flag as stored: its gates, with percentages as
// the ratios FunWithFlags keeps (0 < ratio < 1).
type FWFGates struct {
	Flag    string // the flag name, which the score hashes
	Boolean *bool
	Actors  map[string]bool
	// Groups as stored; FunWithFlags checks every group the actor is in, and
	// a disabled one wins.
	Groups    []GroupGate
	PctActors float64 // 0 = none
	PctTime   float64 // 0 = none
}

// GroupGate is a group gate of a source flag.
type GroupGate struct {
	Name    string
	Enabled bool
}

// Decide is FunWithFlags' Flag.enabled?/2: actor gate, then group gates (a
// disabled group wins), then the boolean gate when true, then percentage of
// actors (Actor.Percentage.score: the first two bytes of SHA-256(actor id +
// flag name) over 65536, open when <= ratio) or of time (open when a random
// float in [0, 1) is <= ratio: a ratio of 1 always opens).
func (g *FWFGates) Decide(actorID string, inGroup func(string) bool) (bool, bool) {
	if actorID != "" {
		if on, ok := g.Actors[actorID]; ok {
			return on, false
		}
	}
	if inGroup != nil {
		in, off := false, false
		for _, gg := range g.Groups {
			if inGroup(gg.Name) {
				in = true
				off = off || !gg.Enabled
			}
		}
		if in {
			return !off, false
		}
	}
	if g.Boolean != nil && *g.Boolean {
		return true, false
	}
	if g.PctActors > 0 && actorID != "" {
		sum := sha256.Sum256([]byte(actorID + g.Flag))
		return float64(uint16(sum[0])<<8|uint16(sum[1]))/65536 <= g.PctActors, false
	}
	if g.PctTime >= 1 {
		return true, false // a roll in [0, 1) is always <= 1.0
	}
	if g.PctTime > 0 {
		return false, true
	}
	return false, false
}

// FlipperGates is one Flipper feature as exported: every gate can only open it.
type FlipperGates struct {
	Feature string // Flipper's feature key, which the bucketing hashes
	Boolean bool
	Actors  map[string]bool
	Groups  map[string]bool
	// PctActors and PctTime are the exported strings ("" = none), read as
	// Flipper's Typecast.to_percentage reads them.
	PctActors, PctTime string
}

// Decide is Flipper's Feature#enabled?: open when any gate is open. Percentage
// of actors: crc32(feature + actor) % 100000 < percentage * 1000 (a Ruby Float
// product for a fractional percentage); 100 always opens, 0 never.
func (g *FlipperGates) Decide(actorID string, inGroup func(string) bool) (bool, bool) {
	if g.Boolean {
		return true, false
	}
	if actorID != "" {
		if g.Actors[actorID] {
			return true, false
		}
		for name := range g.Groups {
			if inGroup != nil && inGroup(name) {
				return true, false
			}
		}
		if p := flipperPercent(g.PctActors); p > 0 {
			if p >= 100 {
				return true, false
			}
			bucket := crc32.ChecksumIEEE([]byte(g.Feature+actorID)) % 100000
			if float64(bucket) < p*1000 {
				return true, false
			}
		}
	}
	if p := flipperPercent(g.PctTime); p > 0 {
		if p >= 100 {
			return true, false
		}
		return false, true
	}
	return false, false
}

// flipperPercent is Typecast.to_percentage: the string's Float value (an
// Integer when whole, which multiplies exactly — the same in a double for 0..100).
func flipperPercent(s string) float64 {
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}
