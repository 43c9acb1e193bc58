package app

import (
	"fmt"
	"os"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Init(ev *eval.Evaluator) {
	if on := ev.Enabled("new_checkout_enabled"); on {
		fmt.Println("new")
	}
	if err := os.Setenv("X", "1"); ev.Enabled("new_checkout_enabled") {
		fmt.Println("with init", err)
	}
}
