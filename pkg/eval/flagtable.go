package eval

import "math/rand/v2"

// flagTable finds a snapshot's flags by name on the hot path: an open-addressing
// table with linear probing, at most half full, keyed by strHash — the hash the
// actor tables use, cheaper than the runtime's map hash for flag names. It is
// built once per snapshot and read without locks; the snapshot's map stays for
// everything else.
type flagTable struct {
	seed  uint64
	mask  uint64
	slots []flagSlot
}

type flagSlot struct {
	hash uint64
	name string
	c    *compiled // nil: an empty slot
}

func newFlagTable(flags map[string]*compiled) *flagTable {
	size := 8
	for size < 2*len(flags) {
		size *= 2
	}
	t := &flagTable{seed: rand.Uint64(), mask: uint64(size - 1), slots: make([]flagSlot, size)}
	for name, c := range flags {
		h := strHash(name, t.seed)
		i := h & t.mask
		for t.slots[i].c != nil {
			i = (i + 1) & t.mask
		}
		t.slots[i] = flagSlot{hash: h, name: name, c: c}
	}
	return t
}

// get returns the flag called name, or nil.
func (t *flagTable) get(name string) *compiled {
	h := strHash(name, t.seed)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		if sl.c == nil {
			return nil
		}
		if sl.hash == h && sl.name == name {
			return sl.c
		}
	}
}
