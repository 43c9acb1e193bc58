package openfeature

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/flagctl/flagctl/pkg/eval"
)

const flags = `version: 1
environment: production
flags:
  dark_mode_enabled: true
  off_enabled: false
  new_checkout_enabled:
    enabled: false
    actors:
      "user:42": true
    groups:
      beta_testers: true
      banned: false
    percentage_of_actors: 100%
`

func setup(t *testing.T, domain string) (*of.Client, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "production.yaml")
	if err := os.WriteFile(path, []byte(flags), 0o644); err != nil {
		t.Fatal(err)
	}
	p := New(path, eval.Debounce(5*time.Millisecond))
	if err := of.SetNamedProviderAndWait(domain, p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Shutdown)
	return of.NewClient(domain), path
}

func TestBooleanThroughTheSDK(t *testing.T) {
	client, _ := setup(t, "eval")
	ctx := context.Background()
	tests := []struct {
		name    string
		flag    string
		evalCtx of.EvaluationContext
		want    bool
		reason  of.Reason
		variant string
		gate    string
		errCode of.ErrorCode
	}{
		{"boolean", "dark_mode_enabled", of.NewTargetlessEvaluationContext(nil), true, of.StaticReason, "on", "boolean", ""},
		{"no gate open", "off_enabled", of.NewTargetlessEvaluationContext(nil), false, of.DefaultReason, "off", "none", ""},
		{"actor", "new_checkout_enabled", of.NewEvaluationContext("user:42", nil), true, of.TargetingMatchReason, "on", "actor", ""},
		{"groups []string", "new_checkout_enabled", of.NewEvaluationContext("user:1", map[string]any{"groups": []string{"banned"}}), false, of.TargetingMatchReason, "off", "group", ""},
		{"groups []any", "new_checkout_enabled", of.NewEvaluationContext("user:1", map[string]any{"groups": []any{"beta_testers"}}), true, of.TargetingMatchReason, "on", "group", ""},
		{"groups string", "new_checkout_enabled", of.NewEvaluationContext("user:1", map[string]any{"groups": "x, banned"}), false, of.TargetingMatchReason, "off", "group", ""},
		{"percentage", "new_checkout_enabled", of.NewEvaluationContext("user:1", nil), true, of.SplitReason, "on", "percentage_of_actors", ""},
		{"no targeting key, no groups", "new_checkout_enabled", of.NewTargetlessEvaluationContext(nil), false, of.DefaultReason, "off", "none", ""},
		{"groups without a targeting key", "new_checkout_enabled", of.NewTargetlessEvaluationContext(map[string]any{"groups": []string{"beta_testers"}}), true, of.TargetingMatchReason, "on", "group", ""},
		{"disabled group without a targeting key", "new_checkout_enabled", of.NewTargetlessEvaluationContext(map[string]any{"groups": "beta_testers,banned"}), false, of.TargetingMatchReason, "off", "group", ""},
		{"no gated group, no targeting key: percentage needs a key", "new_checkout_enabled", of.NewTargetlessEvaluationContext(map[string]any{"groups": []any{"x"}}), false, of.DefaultReason, "off", "none", ""},
		{"undefined", "nope_enabled", of.NewEvaluationContext("user:1", nil), true, of.ErrorReason, "", "", of.FlagNotFoundCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := client.BooleanValueDetails(ctx, tt.flag, true, tt.evalCtx)
			if tt.errCode != "" {
				if err == nil || d.ErrorCode != tt.errCode || d.Value != true {
					t.Fatalf("err %v code %q value %v, want %s with the default", err, d.ErrorCode, d.Value, tt.errCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Value != tt.want || d.Reason != tt.reason || d.Variant != tt.variant {
				t.Errorf("got %v %s %q, want %v %s %q", d.Value, d.Reason, d.Variant, tt.want, tt.reason, tt.variant)
			}
			if g, _ := d.FlagMetadata.GetString("gate"); g != tt.gate {
				t.Errorf("gate metadata %q, want %q", g, tt.gate)
			}
			if v, _ := client.BooleanValue(ctx, tt.flag, !tt.want, tt.evalCtx); v != tt.want {
				t.Errorf("BooleanValue = %v", v)
			}
		})
	}
	s, err := client.StringValueDetails(ctx, "dark_mode_enabled", "dflt", of.NewTargetlessEvaluationContext(nil))
	if err == nil || s.ErrorCode != of.TypeMismatchCode || s.Value != "dflt" {
		t.Errorf("string evaluation: %v %v", s, err)
	}
	if _, err := client.IntValueDetails(ctx, "dark_mode_enabled", 1, of.NewTargetlessEvaluationContext(nil)); err == nil {
		t.Error("int evaluation must be a type mismatch")
	}
	if New("x").Metadata().Name != "flagctl" {
		t.Error("metadata name")
	}
}

func TestEventsThroughTheSDK(t *testing.T) {
	client, path := setup(t, "events")
	var mu sync.Mutex
	var got []of.EventDetails
	record := func(d of.EventDetails) { mu.Lock(); got = append(got, d); mu.Unlock() }
	onChange, onStale, onReady := record, record, record
	client.AddHandler(of.ProviderConfigChange, &onChange)
	client.AddHandler(of.ProviderStale, &onStale)
	client.AddHandler(of.ProviderReady, &onReady)
	wait := func(what string, cond func([]of.EventDetails) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			ok := cond(got)
			mu.Unlock()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; events: %+v", what, got)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	os.WriteFile(path, []byte(strings.Replace(flags, "off_enabled: false", "off_enabled: true", 1)), 0o644)
	wait("configuration change", func(evs []of.EventDetails) bool {
		for _, e := range evs {
			if strings.Join(e.FlagChanges, ",") == "off_enabled" {
				return true
			}
		}
		return false
	})
	if v, _ := client.BooleanValue(context.Background(), "off_enabled", false, of.NewTargetlessEvaluationContext(nil)); !v {
		t.Error("reload not served")
	}
	os.WriteFile(path, []byte("version: 1\nflags: [\n"), 0o644)
	wait("stale", func(evs []of.EventDetails) bool {
		for _, e := range evs {
			if strings.Contains(e.Message, "serving the last good flags") {
				return true
			}
		}
		return false
	})
	if v, _ := client.BooleanValue(context.Background(), "off_enabled", false, of.NewTargetlessEvaluationContext(nil)); !v {
		t.Error("last good snapshot not served while the file is invalid")
	}
	os.WriteFile(path, []byte(flags), 0o644)
	wait("ready again", func(evs []of.EventDetails) bool {
		for _, e := range evs {
			if e.Message == "flag file valid again" {
				return true
			}
		}
		return false
	})
}

func TestInitFails(t *testing.T) {
	p := New(filepath.Join(t.TempDir(), "missing.yaml"))
	if err := p.Init(of.NewTargetlessEvaluationContext(nil)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Init = %v", err)
	}
	d := p.BooleanEvaluation(context.Background(), "x", true, nil)
	if d.Value != true || d.Error() == nil {
		t.Errorf("uninitialized provider: %+v", d)
	}
}

// BenchmarkSDKOverhead compares a check through the OpenFeature client with the
// same check on the evaluator.
func BenchmarkSDKOverhead(b *testing.B) {
	path := filepath.Join(b.TempDir(), "production.yaml")
	os.WriteFile(path, []byte(flags), 0o644)
	p := New(path)
	if err := of.SetNamedProviderAndWait("bench", p); err != nil {
		b.Fatal(err)
	}
	defer p.Shutdown()
	client := of.NewClient("bench")
	evalCtx := of.NewEvaluationContext("user:42", map[string]any{"groups": []string{"beta_testers"}})
	ctx := context.Background()
	b.Run("via=sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if v, _ := client.BooleanValue(ctx, "new_checkout_enabled", false, evalCtx); !v {
				b.Fatal("wrong answer")
			}
		}
	})
	b.Run("via=eval", func(b *testing.B) {
		var a eval.Actor = eval.Subject{ID: "user:42", Groups: []string{"beta_testers"}}
		ev := p.evaluator()
		b.ReportAllocs()
		for b.Loop() {
			if !ev.EnabledFor("new_checkout_enabled", a) {
				b.Fatal("wrong answer")
			}
		}
	})
}
