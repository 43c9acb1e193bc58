package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator) string {
	// The new flow saves cards.
	if ev.Enabled("new_checkout_enabled") {
		// kept: explains the new path
		fmt.Println("new")
		return "new"
	} else {
		// removed with the old path
		fmt.Println("old")
	}
	return "old" // dead after the early return
}
