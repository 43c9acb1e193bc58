// value: false
package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Range(ev *eval.Evaluator, xs []string, x any) int {
	n := 0
	for i, s := range xs {
		n += i
		if ev.Enabled("new_checkout_enabled") {
			fmt.Println(s)
		}
	}
	switch v := x.(type) {
	case string:
		if ev.Enabled("new_checkout_enabled") {
			fmt.Println(v)
		}
	}
	return n
}
