// calls: Enabled
package app

import "fmt"

// Flags is the application's own interface in front of the evaluator.
type Flags interface {
	Enabled(name string) bool
}

func Route(f Flags) {
	if f.Enabled("new_checkout_enabled") {
		fmt.Println("new")
	} else {
		fmt.Println("old")
	}
}
