//go:build linux || darwin

// Package app has a cgo preamble; only the flag checks change.
package app

/*
#cgo CFLAGS: -O2
#include <stdlib.h>
static int twice(int x) { return 2 * x; }
*/
import "C"

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

//export Hook
func Hook() {}

// Twice calls into C.
func Twice(ev *eval.Evaluator, x int) int {
	if ev.Enabled("new_checkout_enabled") {
		return int(C.twice(C.int(x)))
	}
	fmt.Println("old")
	return x + x
}
