// value: false
package app

import (
	"fmt"
	"strconv"

	"github.com/flagctl/flagctl/pkg/eval"
)

func pair() (int, error) { return 1, nil }

func Multi(ev *eval.Evaluator, s string) int {
	n, err := strconv.Atoi(s)
	a, b := pair()
	c, d := pair()
	if ev.Enabled("new_checkout_enabled") {
		fmt.Println(n, err, a, b, d)
	}
	return c
}
