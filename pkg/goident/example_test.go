package goident_test

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/goident"
)

func ExampleAssign() {
	ids, notes := goident.Assign([]string{"api_enabled", "api__enabled", "new"})
	fmt.Println(ids["api__enabled"], ids["api_enabled"], ids["new"])
	fmt.Println(len(notes))
	// Output:
	// APIEnabled APIEnabled2 NewFlag
	// 2
}

func ExampleBase() {
	fmt.Println(goident.Base("user_id_enabled"))
	// Output: UserIDEnabled
}
