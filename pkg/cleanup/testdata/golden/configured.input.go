// calls: BoolValue
package app

import "fmt"

type legacy struct{}

func (legacy) BoolValue(name string, def bool) bool { return def }

func Legacy(l legacy) {
	if l.BoolValue("new_checkout_enabled", false) {
		fmt.Println("new")
	}
	if l.BoolValue("other_enabled", false) {
		fmt.Println("other")
	}
}
