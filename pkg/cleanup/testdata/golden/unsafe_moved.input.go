package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Moved(ev *eval.Evaluator, n int) {
	if ev.Enabled("new_checkout_enabled") {
		if n > 1 {
			fmt.Println("many")
			fmt.Println(ev.Enabled("new_checkout_enabled"), n)
		}
	}
}
