package eval

import (
	"math/bits"
	"math/rand/v2"
)

// strTable maps strings to values on the hot path: the flag table of a snapshot
// (names to compiled flags) and the actor gates of a flag (IDs to on/off). It is
// built once, then read without locks, and does a fraction of the work of a Go
// map lookup: keys of up to maxShortKey bytes — most flag names and actor IDs —
// live in a table keyed by their words (shortKey), compared in registers with
// the words the hash already read; longer keys live in a table keyed by strHash.
// Both use open addressing with linear probing, at most three quarters full. The
// tables are built from the flag file, so a caller choosing keys can at most
// probe one cluster.
type strTable[V comparable] struct {
	short     []shortSlot[V] // never empty (see newStrTable)
	shortMask uint64
	shortSeed uint64
	long      []longSlot[V] // nil until a long key is set
	longMask  uint64
	longSeed  uint64
	nShort    int // keys in short
	nLong     int // keys in long
}

// shortSlot is a shortKey and its value, flat: 32 bytes for a bool.
type shortSlot[V any] struct {
	a, m, b uint64
	n       uint8 // 0: an empty slot
	v       V
}

func (sl *shortSlot[V]) holds(k shortKey) bool {
	return sl.a == k.a && sl.b == k.b && sl.m == k.m && sl.n == k.n
}

type longSlot[V any] struct {
	hash uint64
	s    string
	v    V
	used bool
}

// newStrTable returns an empty table with room for short keys of up to
// maxShortKey bytes and long ones longer than that (more keys grow it).
func newStrTable[V comparable](short, long int) strTable[V] {
	size := tableSize(short)
	t := strTable[V]{short: make([]shortSlot[V], size), shortMask: uint64(size - 1), shortSeed: rand.Uint64()}
	if long > 0 {
		size = tableSize(long)
		t.long, t.longMask, t.longSeed = make([]longSlot[V], size), uint64(size-1), rand.Uint64()
	}
	return t
}

// flagTable returns the table of a snapshot's flags.
func flagTable(flags map[string]*compiled) strTable[*compiled] {
	short := 0
	for name := range flags {
		if len(name) <= maxShortKey {
			short++
		}
	}
	t := newStrTable[*compiled](short, len(flags)-short)
	for name, c := range flags {
		t.set(name, c)
	}
	return t
}

// tableSize is the power of two that holds n keys at most three quarters full.
func tableSize(n int) int {
	size := 1
	for size*3 < n*4 {
		size *= 2
	}
	return size
}

// get returns s's value and whether it has one.
func (t *strTable[V]) get(s string) (v V, ok bool) {
	var k shortKey
	if isMidKey(s) { // most keys: midKey inlined here
		k = midKey(s)
	} else if k, ok = tinyKeyOf(s); !ok {
		return t.getLong(s)
	}
	for i := k.hash(t.shortSeed) & t.shortMask; ; i = (i + 1) & t.shortMask {
		sl := &t.short[i]
		if sl.holds(k) {
			return sl.v, true
		}
		if sl.n == 0 {
			return v, false
		}
	}
}

// getLong is get for keys longer than maxShortKey.
func (t *strTable[V]) getLong(s string) (v V, ok bool) {
	if t.long == nil {
		return v, false
	}
	h := strHash(s, t.longSeed)
	for i := h & t.longMask; ; i = (i + 1) & t.longMask {
		sl := &t.long[i]
		if !sl.used {
			return v, false
		}
		if sl.hash == h && sl.s == s {
			return sl.v, true
		}
	}
}

// set adds or replaces s's value.
func (t *strTable[V]) set(s string, v V) {
	if k, short := shortKeyOf(s); short {
		t.setShort(k, v)
		return
	}
	if (t.nLong+1)*4 > len(t.long)*3 {
		t.growLong()
	}
	h := strHash(s, t.longSeed)
	for i := h & t.longMask; ; i = (i + 1) & t.longMask {
		sl := &t.long[i]
		if !sl.used {
			*sl = longSlot[V]{h, s, v, true}
			t.nLong++
			return
		}
		if sl.hash == h && sl.s == s {
			sl.v = v
			return
		}
	}
}

func (t *strTable[V]) setShort(k shortKey, v V) {
	if (t.nShort+1)*4 > len(t.short)*3 {
		t.growShort()
	}
	for i := k.hash(t.shortSeed) & t.shortMask; ; i = (i + 1) & t.shortMask {
		sl := &t.short[i]
		if sl.n == 0 {
			*sl = shortSlot[V]{k.a, k.m, k.b, k.n, v}
			t.nShort++
			return
		}
		if sl.holds(k) {
			sl.v = v
			return
		}
	}
}

// growShort doubles the short part and sets its keys again.
func (t *strTable[V]) growShort() {
	old := t.short
	size := tableSize(2*t.nShort + 2)
	t.short, t.shortMask, t.nShort = make([]shortSlot[V], size), uint64(size-1), 0
	for i := range old {
		if sl := &old[i]; sl.n != 0 {
			t.setShort(shortKey{sl.a, sl.m, sl.b, sl.n}, sl.v)
		}
	}
}

// growLong doubles the long part (allocated with the first long key) and sets
// its keys again.
func (t *strTable[V]) growLong() {
	old := t.long
	size := tableSize(2*t.nLong + 2)
	t.long, t.longMask, t.nLong = make([]longSlot[V], size), uint64(size-1), 0
	if old == nil {
		t.longSeed = rand.Uint64()
	}
	for i := range old {
		if sl := &old[i]; sl.used {
			t.set(sl.s, sl.v)
		}
	}
}

// values yields every value, in no particular order.
func (t *strTable[V]) values(yield func(V) bool) {
	for i := range t.short {
		if sl := &t.short[i]; sl.n != 0 && !yield(sl.v) {
			return
		}
	}
	for i := range t.long {
		if sl := &t.long[i]; sl.used && !yield(sl.v) {
			return
		}
	}
}

// equal reports whether t and o hold the same keys with the same values.
func (t *strTable[V]) equal(o *strTable[V]) bool {
	if t.len() != o.len() {
		return false
	}
	if t.len() == 0 {
		return true
	}
	for i := range t.short {
		sl := &t.short[i]
		if sl.n == 0 {
			continue
		}
		k := shortKey{sl.a, sl.m, sl.b, sl.n}
		found := false
		for j := k.hash(o.shortSeed) & o.shortMask; o.short[j].n != 0; j = (j + 1) & o.shortMask {
			if o.short[j].holds(k) {
				found = sl.v == o.short[j].v
				break
			}
		}
		if !found {
			return false
		}
	}
	for i := range t.long {
		sl := &t.long[i]
		if v, ok := o.get(sl.s); sl.used && (!ok || sl.v != v) {
			return false
		}
	}
	return true
}

// len is the number of keys.
func (t *strTable[V]) len() int { return t.nShort + t.nLong }

// shortKey is a string of at most maxShortKey bytes held as the words its bytes
// fill and its length: the words determine the string, so keys compare in
// registers.
type shortKey struct {
	a, m, b uint64
	n       uint8 // length + 1
}

// maxShortKey is the longest string a shortKey holds.
const maxShortKey = 24

// shortKeyOf returns s as a shortKey; short is false when s is longer than
// maxShortKey. Bytes are read as words, overlapping where the length is not a
// multiple of 8: for a given length the words determine every byte.
func shortKeyOf(s string) (k shortKey, short bool) {
	if isMidKey(s) {
		return midKey(s), true
	}
	return tinyKeyOf(s)
}

// isMidKey reports whether s has 8 to maxShortKey bytes: midKey's strings.
func isMidKey(s string) bool { return uint(len(s)-8) <= maxShortKey-8 }

// midKey is shortKeyOf for strings of 8 to maxShortKey bytes: their first,
// middle and last 8 bytes, read without a branch or a bounds check, small
// enough to inline into the lookups.
func midKey(s string) shortKey {
	n := len(s)
	return shortKey{le64at(s, 0), le64at(s, (n-8)/2), le64at(s, n-8), uint8(n) + 1}
}

// tinyKeyOf is shortKeyOf for strings that are not midKey's: fewer than 8
// bytes, or too long.
func tinyKeyOf(s string) (k shortKey, short bool) {
	n := len(s)
	switch {
	case n > maxShortKey:
		return k, false
	case n >= 4:
		k.a = le32(s) | le32(s[n-4:])<<32
	case n > 0:
		k.a = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	}
	k.n = uint8(n) + 1
	return k, true
}

// hash mixes the key's words with one 64×64→128-bit multiply (as strHash does).
func (k shortKey) hash(seed uint64) uint64 {
	return mum(k.a^hashKey^k.m*hashK0, k.b^seed^uint64(k.n)*hashK0)
}

// strHash is a seeded hash in the style of wyhash and of the runtime's fallback
// hash: each 16 bytes fold in with one 64×64→128-bit multiply, and strings of up
// to 16 bytes — most actor IDs and flag names — take that one multiply alone. The
// tables it indexes are built from the flag file, so a caller choosing IDs can
// at most probe one cluster; hashKey, random per process, keeps such a caller
// from zeroing a multiplier.
func strHash(s string, seed uint64) uint64 {
	n := len(s)
	seed ^= uint64(n) * hashK0
	var a, b uint64
	switch {
	case n > 16:
		for rest := s; len(rest) > 16; rest = rest[16:] {
			seed = mum(le64(rest)^hashKey, le64(rest[8:])^seed)
		}
		a, b = le64(s[n-16:]), le64(s[n-8:]) // the last 16 bytes (overlapping)
	case n >= 8:
		a, b = le64(s), le64(s[n-8:])
	case n >= 4:
		a, b = le32(s), le32(s[n-4:])
	case n > 0:
		a = uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1])
	}
	return mum(a^hashKey, b^seed)
}

// hashK0 spreads the length over the seed (wyhash's first multiplier).
const hashK0 = 0xa0761d6478bd642f

// hashKey is strHash's second key, random per process.
var hashKey = rand.Uint64()

// mum multiplies a and b into 128 bits and folds the halves together.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}
