package app

import (
	"fmt"
	"strings"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Checkout(ev *eval.Evaluator, name string) {
	actor := eval.Subject{ID: strings.ToLower(name)}
	if !ev.EnabledFor("new_checkout_enabled", actor) {
		fmt.Println("old", actor.ID)
	}
}
