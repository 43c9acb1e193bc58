package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

type server struct{ ev *eval.Evaluator }

// newCheckout says whether the new checkout is on.
func (s *server) newCheckout() bool {
	return s.ev.Enabled("new_checkout_enabled")
}

// NewCheckout is exported: it is reported, not removed.
func NewCheckout(ev *eval.Evaluator) bool {
	return ev.Enabled("new_checkout_enabled")
}

func (s *server) handle() {
	if s.newCheckout() {
		fmt.Println("new")
	} else {
		fmt.Println("old")
	}
}
