package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator) {
	x := 1
	if ev.Enabled("new_checkout_enabled") {
		x := 2
		fmt.Println(x)
	}
	fmt.Println(x)
}

func Inline(ev *eval.Evaluator) {
	if ev.Enabled("new_checkout_enabled") {
		y := 2
		fmt.Println(y)
	}
	fmt.Println("done")
}
