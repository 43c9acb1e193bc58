package app

import (
	"fmt"

	"example.com/app/flags"
	"github.com/flagctl/flagctl/pkg/eval"
)

type config struct{ newCheckout bool }

func Unsafe(ev *eval.Evaluator, c *config) {
	c.newCheckout = ev.Enabled("new_checkout_enabled")
	fmt.Println(ev.Enabled("new_checkout_enabled"))
	cfg := config{newCheckout: ev.Enabled("new_checkout_enabled")}
	switch ev.Enabled("new_checkout_enabled") {
	case true:
		fmt.Println(cfg)
	}
	if ev.EnabledFor("new_checkout_enabled", lookup()) {
		fmt.Println("argument with side effects")
	}
	h := ev.Flag(flags.NewCheckoutEnabled)
	fmt.Println(h.Name(), flags.NewCheckoutEnabled)
}

func lookup() eval.Actor { return eval.Subject{ID: "user:1"} }
