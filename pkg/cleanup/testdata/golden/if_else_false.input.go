// value: false
package app

import "github.com/flagctl/flagctl/pkg/eval"

func Checkout(ev *eval.Evaluator, u eval.Subject) (n int) {
	if ev.EnabledFor("new_checkout_enabled", u) {
		// the new path, removed
		n = 2
	} else {
		// the old path, kept
		n = 1
	}
	return n
}
