package app

import (
	"fmt"
	"net/http"

	"github.com/flagctl/flagctl/pkg/eval"
)

func Handler(ev *eval.Evaluator) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := eval.Subject{ID: r.URL.Query().Get("user")}
		if ev.EnabledFor("new_checkout_enabled", u) {
			fmt.Fprintln(w, "new checkout")
			return
		}
		fmt.Fprintln(w, "old checkout")
	}
}

func Nested(ev *eval.Evaluator, kind string, x, y bool) {
	switch kind {
	case "a":
		if !ev.Enabled("new_checkout_enabled") {
			fmt.Println("old a")
			break
		}
		fmt.Println("new a")
	default:
		if ev.Enabled("new_checkout_enabled") {
			if ev.Enabled("new_checkout_enabled") && x {
				fmt.Println("x")
			}
		}
	}
	if !ev.Enabled("new_checkout_enabled") && x {
		fmt.Println("old x")
	} else if y {
		fmt.Println("y")
	} else {
		fmt.Println("neither")
	}
	go func() {
		if ev.Enabled("new_checkout_enabled") {
			fmt.Println("in a goroutine")
		}
	}()
}
