package eval

import (
	"fmt"
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
