package cmd

import (
	"runtime/debug"
)

// cliMemoryLimit is the heap a short-lived command grows to before the garbage
// collector runs at all (see shortLivedGC).
const cliMemoryLimit = 768 << 20

// annotLongRunning marks a verb that runs until stopped (serve): it keeps the
// Go runtime's default garbage collection.
const annotLongRunning = "flagctl/long-running"

// shortLivedGC tunes the garbage collector for a command that reads a few
// files, writes and exits: no collection until the heap reaches
// cliMemoryLimit, then the memory limit paces it. An edit of 3 files of 10,000
// flags allocates well under that, so it never stops to collect garbage it is
// about to drop by exiting; a collection costs a third of the run of a small
// edit. GOGC or GOMEMLIMIT set in the environment win. It returns what puts
// the runtime's defaults back, for a long-running verb.
func shortLivedGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	gc := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(cliMemoryLimit)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}
