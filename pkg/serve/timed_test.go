package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
)

// scheduledFlags switches kill_enabled off, and turns promo_enabled on for
// user:1, at 2026-12-24T18:00:00Z.
const scheduledFlags = `version: 1
environment: staging
flags:
  kill_enabled:
    enabled: true
    schedule:
      - at: 2026-12-24T18:00:00Z
        enabled: false
  promo_enabled:
    enabled: false
    actors:
      "user:9": true
    schedule:
      - at: 2026-12-24T18:00:00Z
        actors:
          "user:1": true
`

// startScheduled serves scheduledFlags with the time of fc and returns the
// server and its URL.
func startScheduled(t *testing.T, fc *eval.FakeClock) (*Server, string) {
	t.Helper()
	f := newFixture(t, map[string]string{"staging": scheduledFlags})
	s, ts := start(t, Config{Environments: []Environment{f.env("staging")},
		WatchOptions: []eval.WatchOption{eval.Clock(fc)}})
	return s, ts.URL
}

// TestBulkETagFollowsSchedule: a bulk response cached by a client must not be
// confirmed (304) once a scheduled change has altered its answers.
func TestBulkETagFollowsSchedule(t *testing.T) {
	before := time.Date(2026, 12, 24, 17, 59, 0, 0, time.UTC)
	fc := eval.NewFakeClock(before)
	_, url := startScheduled(t, fc)
	ctx := `{"context":{"targetingKey":"user:1"}}`
	first := post(t, url+"/ofrep/v1/evaluate/flags", ctx)
	if first.status != 200 || !strings.Contains(string(first.body), `"key":"kill_enabled","value":true`) {
		t.Fatalf("before the schedule: %d %s", first.status, first.body)
	}
	etag := first.header.Get("ETag")
	fc.Set(before.Add(2 * time.Minute))
	second := post(t, url+"/ofrep/v1/evaluate/flags", ctx, "If-None-Match", etag)
	if second.status != 200 {
		t.Fatalf("after the scheduled kill, If-None-Match %s got %d: the client keeps kill_enabled on", etag, second.status)
	}
	if !strings.Contains(string(second.body), `"key":"kill_enabled","value":false`) {
		t.Fatalf("after the schedule: %s", second.body)
	}
}

// TestReasonOfScheduledTargeting: a flag whose gates in effect (from its
// schedule) are open for some actors is DEFAULT, not DISABLED, for the others.
func TestReasonOfScheduledTargeting(t *testing.T) {
	at := time.Date(2026, 12, 24, 19, 0, 0, 0, time.UTC)
	_, url := startScheduled(t, eval.NewFakeClock(at))
	tests := []struct {
		actor, want string
	}{
		{"user:1", `"value":true,"reason":"TARGETING_MATCH"`},
		{"user:9", `"value":true,"reason":"TARGETING_MATCH"`},
		{"user:2", `"value":false,"reason":"DEFAULT"`},
	}
	for _, tt := range tests {
		res := post(t, url+"/ofrep/v1/evaluate/flags/promo_enabled", `{"context":{"targetingKey":"`+tt.actor+`"}}`)
		if !strings.Contains(string(res.body), tt.want) {
			t.Errorf("%s: got %s, want %s", tt.actor, res.body, tt.want)
		}
	}
}

// TestEventStreamAnnouncesSchedule: a scheduled change, which happens without
// a file event, is announced on the SSE stream (browsers following the stream
// re-fetch only then), with an ETag every replica computes alike.
func TestEventStreamAnnouncesSchedule(t *testing.T) {
	before := time.Date(2026, 12, 24, 17, 59, 0, 0, time.UTC)
	fc := eval.NewFakeClock(before)
	f := newFixture(t, map[string]string{"staging": scheduledFlags})
	_, ts := start(t, Config{Environments: []Environment{f.env("staging")}, KeepAlive: 20 * time.Millisecond,
		WatchOptions: []eval.WatchOption{eval.Clock(fc)}})
	url := ts.URL
	st := openStream(t, url+"/ofrep/v1/events?env=staging")
	if hello := st.next(); !strings.HasPrefix(hello, "retry: ") {
		t.Fatalf("first block %q", hello)
	}
	fc.Set(before.Add(2 * time.Minute))
	var block string
	deadline := time.Now().Add(10 * time.Second)
	for block = st.next(); strings.HasPrefix(block, ":"); block = st.next() {
		if time.Now().After(deadline) {
			t.Fatal("no event for the scheduled change, only keep-alives")
		}
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(block, "id: "), "\n")
	if !strings.Contains(block, `"type":"refetchEvaluation"`) || id == "" {
		t.Fatalf("event %q", block)
	}
	res := post(t, url+"/ofrep/v1/evaluate/flags", `{"context":{"targetingKey":"user:1"}}`)
	if !strings.Contains(string(res.body), `"key":"kill_enabled","value":false`) {
		t.Fatalf("after the event: %s", res.body)
	}
	replica, _ := startScheduled(t, eval.NewFakeClock(before.Add(2*time.Minute)))
	if got := strings.Trim(replica.envs["staging"].set.Load().etag, `"`); got != id {
		t.Fatalf("a replica at the same time has configuration ETag %s, the event said %s", got, id)
	}
}
