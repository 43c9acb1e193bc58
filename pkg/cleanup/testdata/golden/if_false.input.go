// value: false
package app

import (
	"fmt"
	"strings"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator) {
	fmt.Println("before")
	// Only for the new checkout.
	if ev.Enabled("new_checkout_enabled") {
		fmt.Println(strings.ToUpper("new")) // trailing
	}
	fmt.Println("after")
}
