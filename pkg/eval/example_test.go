package eval_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
)

const exampleFile = `version: 1
environment: production
flags:
  dark_mode_enabled: true
  new_checkout_enabled:
    owner: team-payments
    kind: release
    enabled: false
    actors:
      "user:42": true
      "user:7": false
    groups:
      beta_testers: true
      banned: false
    percentage_of_actors: 25%
`

func writeExample() (path string, cleanup func()) {
	dir, _ := os.MkdirTemp("", "flagctl-example")
	path = filepath.Join(dir, "production.yaml")
	os.WriteFile(path, []byte(exampleFile), 0o644)
	return path, func() { os.RemoveAll(dir) }
}

// Load a flag file once and check flags with and without an actor.
func Example() {
	path, cleanup := writeExample()
	defer cleanup()

	flags, err := eval.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(flags.Enabled("dark_mode_enabled"))
	fmt.Println(flags.EnabledFor("new_checkout_enabled", eval.Subject{ID: "user:42"}))
	fmt.Println(flags.EnabledFor("new_checkout_enabled", eval.Subject{ID: "user:1", Groups: []string{"beta_testers"}}))
	fmt.Println(flags.EnabledFor("new_checkout_enabled", eval.Subject{ID: "user:42", Groups: []string{"banned"}}))
	fmt.Println(flags.Enabled("no_such_flag"))
	// Output:
	// true
	// true
	// true
	// true
	// false
}

// Explain says which gate decided.
func ExampleEvaluator_Explain() {
	path, cleanup := writeExample()
	defer cleanup()
	flags, _ := eval.Load(path)

	fmt.Println(flags.Explain("new_checkout_enabled", eval.Subject{ID: "user:7", Groups: []string{"beta_testers"}}))
	fmt.Println(flags.Explain("new_checkout_enabled", eval.Subject{ID: "user:3", Groups: []string{"beta_testers", "banned"}}))
	fmt.Println(flags.Explain("new_checkout_enabled", eval.Subject{ID: "user:9"}))
	fmt.Println(flags.Explain("nope_enabled", nil))
	// Output:
	// actor user:7 → off
	// group banned → off
	// percentage_of_actors 25%, score 0.41786 → off
	// undefined flag → off
}

// Score is compatible with FunWithFlags: teams migrating keep their cohorts.
func ExampleScore() {
	fmt.Printf("%.5f\n", eval.Score("user:42", "new_checkout_enabled"))
	// Output: 0.34488
}

// Application tests force a flag for the duration of one test.
func ExampleEvaluator_Override() {
	flags := eval.FromMap(map[string]bool{"new_checkout_enabled": false})
	fmt.Println(flags.Enabled("new_checkout_enabled"))
	// In a test: flags.Override(t, "new_checkout_enabled", true)
	// Output: false
}

// FirstSeen reports the moment each actor first saw a flag enabled by a targeted
// or percentage gate — once per (flag, actor), with bounded memory — for example
// to send a "rollout exposure" event to analytics.
func ExampleNewFirstSeen() {
	path, cleanup := writeExample()
	defer cleanup()

	exposures := eval.NewFirstSeen(100_000, func(flag, actorID string, at time.Time) {
		fmt.Printf("exposure: %s saw %s\n", actorID, flag) // e.g. analytics.Track(…)
	})
	flags, _ := eval.Load(path, eval.Observe(exposures))

	beta := eval.Subject{ID: "user:1", Groups: []string{"beta_testers"}}
	flags.EnabledFor("new_checkout_enabled", beta)
	flags.EnabledFor("new_checkout_enabled", beta)                        // already reported
	flags.EnabledFor("dark_mode_enabled", beta)                           // boolean gate: not a rollout
	flags.EnabledFor("new_checkout_enabled", eval.Subject{ID: "user:42"}) // actor gate
	// Output:
	// exposure: user:1 saw new_checkout_enabled
	// exposure: user:42 saw new_checkout_enabled
}
