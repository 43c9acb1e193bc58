// calls: BoolValue,BoolE
package app

import "fmt"

type legacy struct{}

func (legacy) BoolValue(name string, def bool) bool { return def }

func BoolE(name string) (bool, error) { return name != "", nil }

func Legacy(l legacy) {
	on, _ := BoolE("new_checkout_enabled")
	if !on {
		fmt.Println("old")
	}
	if l.BoolValue("new_checkout_enabled", false) {
		fmt.Println("new")
	}
	if l.BoolValue("other_enabled", false) {
		fmt.Println("other")
	}
}
