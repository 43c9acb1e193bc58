package eval

import "math/rand/v2"

// actorSet maps actor IDs to their gate value: an open-addressing table with
// linear probing, at most three quarters full, built once per compile and read without
// locks. It does about half the work of a Go map lookup for this one job.
type actorSet struct {
	seed  uint64
	mask  uint64
	slots []actorSlot
	n     int
}

type actorSlot struct {
	hash uint64
	id   string
	used bool
	on   bool
}

func newActorSet(n int) *actorSet {
	size := 4
	for size*3 < n*4+4 { // at most three quarters full
		size *= 2
	}
	return &actorSet{seed: rand.Uint64(), mask: uint64(size - 1), slots: make([]actorSlot, size)}
}

// set adds or replaces id's value.
func (s *actorSet) set(id string, on bool) {
	h := strHash(id, s.seed)
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		sl := &s.slots[i]
		if !sl.used {
			*sl = actorSlot{hash: h, id: id, used: true, on: on}
			s.n++
			return
		}
		if sl.hash == h && sl.id == id {
			sl.on = on
			return
		}
	}
}

// get returns id's value and whether it has one.
func (s *actorSet) get(id string) (on, ok bool) {
	h := strHash(id, s.seed)
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		sl := &s.slots[i]
		if !sl.used {
			return false, false
		}
		if sl.hash == h && sl.id == id {
			return sl.on, true
		}
	}
}

// len is the number of IDs.
func (s *actorSet) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// strHash is a seeded multiply-xorshift hash, much cheaper than a call into the
// runtime's hash for the short IDs and flag names it serves (the actor tables and
// the flag table). The tables it indexes are built from the flag file, so a
// caller choosing IDs can at most probe one cluster.
func strHash(s string, seed uint64) uint64 {
	n := len(s)
	h := seed ^ uint64(n)*0x9e3779b97f4a7c15
	rest := s
	for len(rest) > 8 {
		h = (h ^ le64(rest)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		rest = rest[8:]
	}
	var v uint64
	if n >= 8 {
		v = le64(s[n-8:]) // the last 1–8 bytes, read as the last 8 (overlapping)
	} else {
		for i := 0; i < n; i++ {
			v |= uint64(s[i]) << (8 * i)
		}
	}
	h = (h ^ v) * 0x94d049bb133111eb
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// le64 reads the first 8 bytes of s, little-endian (one load).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
