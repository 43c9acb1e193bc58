package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator, beta bool, n int) {
	if ev.Enabled("new_checkout_enabled") && beta {
		fmt.Println("true && x -> x")
	}
	if beta && !ev.Enabled("new_checkout_enabled") {
		fmt.Println("x && false, x pure -> false")
	}
	if n > 3 || ev.Enabled("new_checkout_enabled") {
		fmt.Println("x || true, x pure -> true")
	}
	if expensive() || ev.Enabled("new_checkout_enabled") {
		fmt.Println("a call is kept")
	}
	if beta || (!ev.Enabled("new_checkout_enabled") && n > 1) {
		fmt.Println("x || (false && y) -> x")
	}
	ok := beta == ev.Enabled("new_checkout_enabled")
	fmt.Println(ok)
}

func expensive() bool { return true }

func Precedence(ev *eval.Evaluator, a, b, c bool) {
	x := !(a || b)
	if c && x == ev.Enabled("new_checkout_enabled") {
		fmt.Println("c && x == true -> c && x")
	}
	if c && !(a || b) == !ev.Enabled("new_checkout_enabled") {
		fmt.Println("c && !(a || b) == false -> c && (a || b)")
	}
}
