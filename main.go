// Command flagctl manages feature flags kept in git: one YAML file per environment.
package main

import (
	"os"

	"github.com/flagctl/flagctl/cmd"
)

func main() {
	os.Exit(cmd.Main())
}
