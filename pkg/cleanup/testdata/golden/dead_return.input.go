package app

import (
	"errors"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Check(ev *eval.Evaluator, n int) error {
	if n < 0 {
		return errors.New("negative")
	}
	if !ev.Enabled("new_checkout_enabled") {
		return nil
	}
	// Validation of the new checkout.
	if n > 10 {
		return errors.New("too many")
	}
	return nil
}

func Loop(ev *eval.Evaluator, xs []int) int {
	total := 0
	for _, x := range xs {
		if ev.Enabled("new_checkout_enabled") {
			total += x
			continue
		}
		total -= x
	}
	return total
}
