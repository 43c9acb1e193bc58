// Command flagctl manages feature flags kept in git: one YAML file per environment.
package main

import (
	"os"
	"runtime/debug"

	"github.com/flagctl/flagctl/cmd"
)

func main() {
	// A short-lived CLI: trade memory for fewer garbage collections.
	debug.SetGCPercent(400)
	os.Exit(cmd.Main())
}
