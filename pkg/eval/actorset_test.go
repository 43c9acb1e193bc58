package eval

import (
	"fmt"
	"strings"
	"testing"
)

func TestActorSet(t *testing.T) {
	for _, n := range []int{1, 3, 100, 5000} {
		s := newActorSet(n)
		for i := 0; i < n; i++ {
			s.set(fmt.Sprintf("user:%d", i), i%3 == 0)
		}
		s.set("user:0", false) // replace
		if s.len() != n {
			t.Fatalf("len %d, want %d", s.len(), n)
		}
		for i := 0; i < n; i++ {
			on, ok := s.get(fmt.Sprintf("user:%d", i))
			if want := i%3 == 0 && i != 0; !ok || on != want {
				t.Fatalf("n=%d user:%d = %v %v", n, i, on, ok)
			}
		}
		if _, ok := s.get("user:-1"); ok {
			t.Fatal("found an absent ID")
		}
		if _, ok := s.get(""); ok {
			t.Fatal("found the empty ID")
		}
	}
	var nilSet *actorSet
	if nilSet.len() != 0 {
		t.Error("nil set length")
	}
}

func TestFlagTable(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		flags := map[string]*compiled{}
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("f%d%s", i, strings.Repeat("x", i%20)) // lengths 2 to 24
			flags[name] = &compiled{name: name}
		}
		tab := newFlagTable(flags)
		for name, c := range flags {
			if got := tab.get(name); got != c {
				t.Fatalf("n=%d: get(%q) = %v", n, name, got)
			}
		}
		for _, absent := range []string{"", "f", "nope", "f1xx", strings.Repeat("y", 40)} {
			if got := tab.get(absent); got != nil {
				t.Fatalf("n=%d: found absent %q", n, absent)
			}
		}
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
