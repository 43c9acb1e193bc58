package eval_test

import (
	"fmt"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// A ramp and a schedule follow the clock; a FakeClock moves it in tests.
func ExampleClock() {
	f, err := flagfile.Parse("production.yaml", []byte(`version: 1
flags:
  new_checkout_enabled:
    percentage_of_actors:
      ramp: {from: 1%, to: 100%, start: 2026-12-07T09:00:00Z, end: 2026-12-14T09:00:00Z}
  campaign_enabled:
    schedule:
      - at: 2026-12-24T18:00:00+01:00
        enabled: true
`), flagfile.ParseOptions{})
	if err != nil {
		panic(err)
	}
	clock := eval.NewFakeClock(time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC))
	ev := eval.New(f, eval.Clock(clock))
	fmt.Println(ev.Explain("new_checkout_enabled", eval.Subject{ID: "user:42"}).Timeline)
	fmt.Println(ev.Enabled("campaign_enabled"), ev.Explain("campaign_enabled", nil).Timeline)

	clock.Set(time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC)) // 18:00 in +01:00
	fmt.Println(ev.Enabled("campaign_enabled"))
	// Output:
	// ramp at 43.428%, 100% on 2026-12-14 09:00 UTC
	// false scheduled: on at 2026-12-24 18:00 +01:00
	// true
}
