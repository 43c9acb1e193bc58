package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator, u eval.Subject) {
	newFlow := ev.EnabledFor("new_checkout_enabled", u)
	if newFlow {
		fmt.Println("new")
	}
	if !newFlow {
		fmt.Println("old")
	}
	var kept = ev.Enabled("new_checkout_enabled")
	fmt.Println(kept)
}
