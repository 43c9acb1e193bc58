package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator) {
	if !ev.Enabled("new_checkout_enabled") {
		fmt.Println("old")
		return
	}
	fmt.Println("new")
}
