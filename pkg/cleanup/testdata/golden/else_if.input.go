package app

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Route(ev *eval.Evaluator, kind string) {
	if kind == "a" {
		fmt.Println("a")
	} else if ev.Enabled("new_checkout_enabled") {
		fmt.Println("new")
	} else {
		fmt.Println("old")
	}
	if kind == "b" {
		fmt.Println("b")
	} else if !ev.Enabled("new_checkout_enabled") {
		fmt.Println("old")
	} else if kind == "c" {
		fmt.Println("c")
	}
	if kind == "d" {
		fmt.Println("d")
	} else if !ev.Enabled("new_checkout_enabled") {
		fmt.Println("old")
	}
}
