package app

import (
	"context"
	"fmt"

	"example.com/app/flags"
	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/open-feature/go-sdk/openfeature"
)

func Forms(ctx context.Context, ev *eval.Evaluator, f *flags.Flags, client *openfeature.Client, u eval.Subject) {
	if f.NewCheckoutEnabled.Enabled() {
		fmt.Println("handle")
	}
	if f.NewCheckoutEnabled.EnabledFor(u) {
		fmt.Println("handle for")
	}
	if ev.Enabled(flags.NewCheckoutEnabled) {
		fmt.Println("constant")
	}
	if ev.Explain("new_checkout_enabled", u).Enabled {
		fmt.Println("explain")
	}
	if ev.Flag("new_checkout_enabled").Enabled() {
		fmt.Println("ev.Flag")
	}
	on, _ := client.BooleanValue(ctx, "new_checkout_enabled", false, openfeature.NewEvaluationContext(u.ID, nil))
	if on {
		fmt.Println("openfeature")
	}
	d, _ := client.BooleanValueDetails(ctx, flags.NewCheckoutEnabled, false, openfeature.EvaluationContext{})
	if d.Value {
		fmt.Println("details")
	}
	if client.Boolean(ctx, "new_checkout_enabled", false, openfeature.EvaluationContext{}) {
		fmt.Println("boolean")
	}
	if f.NewCheckoutEnabled.Explain(u).Enabled {
		fmt.Println("handle explain")
	}
	dec := ev.Explain("new_checkout_enabled", u)
	if dec.Enabled {
		fmt.Println("explain held")
	}
	if f.DarkModeEnabled.Enabled() {
		fmt.Println("another flag stays")
	}
}
