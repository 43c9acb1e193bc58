package eval

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestStrTable fills tables with short keys, keys past maxShortKey and both,
// replaces values, grows tables past their initial size and looks up absent
// keys of every length.
func TestStrTable(t *testing.T) {
	key := func(i int, long bool) string {
		if long {
			return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) // 36 bytes
		}
		return fmt.Sprintf("user:%d", i)
	}
	for _, n := range []int{0, 1, 3, 100, 5000} {
		for _, mix := range []string{"short", "long", "both"} {
			long := func(i int) bool { return mix == "long" || mix == "both" && i%2 == 1 }
			entries := func(yield func(string, int) bool) {
				for i := 0; i < n; i++ {
					if !yield(key(i, long(i)), i) {
						return
					}
				}
			}
			tab := tableOf(entries)
			tab.set(key(0, long(0)), -1) // replace
			for i := n; i < n+n/2; i++ { // grow
				tab.set(key(i, long(i)), i)
			}
			total := n + n/2
			if n == 0 {
				total = 1 // the replacement added key 0
			}
			if tab.len() != total {
				t.Fatalf("%s n=%d: len %d, want %d", mix, n, tab.len(), total)
			}
			seen := 0
			for range tab.values {
				seen++
			}
			if seen != total {
				t.Fatalf("%s n=%d: values yielded %d, want %d", mix, n, seen, total)
			}
			// equal: a table built again from the same entries, in another
			// order and with other seeds, holds the same; one value or one key
			// changed does not.
			same := tableOf(func(yield func(string, int) bool) {
				for i := total - 1; i >= 0; i-- {
					v := i
					if i == 0 {
						v = -1
					}
					if !yield(key(i, long(i)), v) {
						return
					}
				}
			})
			if !tab.equal(&same) || !same.equal(&tab) {
				t.Fatalf("%s n=%d: equal tables differ", mix, n)
			}
			last := total - 1
			same.set(key(last, long(last)), -2)
			if tab.equal(&same) {
				t.Fatalf("%s n=%d: a changed value is equal", mix, n)
			}
			other := tableOf(func(yield func(string, int) bool) {
				for i := 0; i < total; i++ {
					k, v := key(i, long(i)), i
					if i == 0 {
						v = -1
					}
					if i == last {
						k = key(total, long(i)) // another key of the same kind
					}
					if !yield(k, v) {
						return
					}
				}
			})
			if tab.equal(&other) {
				t.Fatalf("%s n=%d: a changed key is equal", mix, n)
			}
			for i := 0; i < total; i++ {
				want := i
				if i == 0 {
					want = -1
				}
				if v, ok := tab.get(key(i, long(i))); !ok || v != want {
					t.Fatalf("%s n=%d: key %d = %d %v, want %d", mix, n, i, v, ok, want)
				}
			}
			for _, absent := range []string{"", "u", "us", "use", "user", "user:", "user:-1", "user:12345678901234567890", key(-1, true), strings.Repeat("y", 25)} {
				if _, ok := tab.get(absent); ok {
					t.Fatalf("%s n=%d: found absent %q", mix, n, absent)
				}
			}
		}
	}
}

// TestShortKeyIsTheString checks that shortKeyOf keeps every byte: strings of
// every length up to maxShortKey differing in one byte, or only in length, get
// different keys.
func TestShortKeyIsTheString(t *testing.T) {
	base := strings.Repeat("abcdefgh", 4)
	for n := 0; n <= maxShortKey; n++ {
		k, ok := shortKeyOf(base[:n])
		if !ok {
			t.Fatalf("len %d: not short", n)
		}
		if n > 0 {
			if shorter, _ := shortKeyOf(base[:n-1]); shorter == k {
				t.Fatalf("len %d: same key as its prefix", n)
			}
			if zeros, _ := shortKeyOf(strings.Repeat("\x00", n)); zeros == k {
				t.Fatalf("len %d: same key as %d NULs", n, n)
			}
		}
		for i := 0; i < n; i++ {
			b := []byte(base[:n])
			b[i] ^= 0x80
			if other, _ := shortKeyOf(string(b)); other == k {
				t.Fatalf("len %d: flipping byte %d keeps the key", n, i)
			}
		}
	}
	if _, ok := shortKeyOf(base[:maxShortKey+1]); ok {
		t.Fatalf("%d bytes taken as short", maxShortKey+1)
	}
}

func TestStrHashUsesEveryByte(t *testing.T) {
	base := []byte("flag_0500_enabled_and_some_more")
	for n := 1; n <= len(base); n++ {
		seen := map[uint64]int{}
		for i := 0; i < n; i++ {
			b := append([]byte(nil), base[:n]...)
			b[i] ^= 1
			h := strHash(string(b), 42)
			if j, dup := seen[h]; dup || h == strHash(string(base[:n]), 42) {
				t.Fatalf("len %d: flipping byte %d collides (with byte %d)", n, i, j)
			}
			seen[h] = i
		}
	}
}

// TestStrHashSpreadsKeys fills tables with the kinds of keys real files hold —
// sequential IDs, numbered flag names, e-mail addresses, UUID-like IDs of every
// length — and checks that linear probing stays short: a hash whose low bits
// ignored some bytes would pile such keys into long clusters.
func TestStrHashSpreadsKeys(t *testing.T) {
	kinds := map[string]func(i int) string{
		"user:N":         func(i int) string { return fmt.Sprintf("user:%d", i) },
		"N":              func(i int) string { return strconv.Itoa(i) },
		"flag_N_enabled": func(i int) string { return fmt.Sprintf("filler_%05d_enabled", i) },
		"email":          func(i int) string { return fmt.Sprintf("person%d@example.com", i) },
		"uuid":           func(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012x", i) },
		"long":           func(i int) string { return fmt.Sprintf("%s%d", strings.Repeat("tenant/", 6), i) },
		"short":          func(i int) string { return string([]byte{byte(i), byte(i >> 8)}) },
	}
	for name, key := range kinds {
		t.Run(name, func(t *testing.T) {
			const n = 50000
			tab := tableOf(func(yield func(string, bool) bool) {
				for i := 0; i < n; i++ {
					if !yield(key(i), i%2 == 0) {
						return
					}
				}
			})
			probes := 0
			for i := 0; i < n; i++ {
				probes += tab.probes(key(i))
				if on, ok := tab.get(key(i)); !ok || on != (i%2 == 0) {
					t.Fatalf("key %d lost", i)
				}
			}
			// Linear probing at this load expects well under one extra probe per
			// key; clustering from a weak hash shows up as many times that.
			if avg := float64(probes) / n; avg > 1 {
				t.Errorf("%.2f extra probes per key on average", avg)
			}
		})
	}
}

// probes counts the slots a lookup of the key s passes before its own.
func (t *strTable[V]) probes(s string) int {
	p := 0
	if k, short := shortKeyOf(s); short {
		for i := k.hash(t.shortSeed) & t.shortMask; !t.short[i].holds(k); i = (i + 1) & t.shortMask {
			p++
		}
		return p
	}
	for i := strHash(s, t.longSeed) & t.longMask; t.long[i].s != s; i = (i + 1) & t.longMask {
		p++
	}
	return p
}

// TestSlotSizes guards the memory of actor gates: a slot of an actor table is
// four words, half a cache line.
func TestSlotSizes(t *testing.T) {
	if sz := unsafe.Sizeof(shortSlot[bool]{}); sz != 32 {
		t.Errorf("shortSlot[bool] is %d bytes, want 32", sz)
	}
	if sz := unsafe.Sizeof(shortSlot[*compiled]{}); sz != 40 {
		t.Errorf("shortSlot[*compiled] is %d bytes, want 40", sz)
	}
}

// tableOf sizes a table for entries, as compile does, and fills it.
func tableOf[V comparable](entries iter.Seq2[string, V]) strTable[V] {
	short, long := 0, 0
	for k := range entries {
		if len(k) <= maxShortKey {
			short++
		} else {
			long++
		}
	}
	t := newStrTable[V](short, long)
	for k, v := range entries {
		t.set(k, v)
	}
	return t
}
