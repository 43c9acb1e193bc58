// Package openfeature is the flagctl provider for the OpenFeature Go SDK
// (github.com/open-feature/go-sdk): services keep the OpenFeature API and read
// their environment's flag file in-process, hot-reloaded with eval.Watch.
//
//	provider := flagctlof.New("/etc/flags/production.yaml")
//	openfeature.SetProviderAndWait(provider)
//	client := openfeature.NewClient("checkout")
//	on, _ := client.BooleanValue(ctx, "new_checkout_enabled", false,
//		openfeature.NewEvaluationContext("user:42", map[string]any{"groups": []string{"beta_testers"}}))
package openfeature

import (
	"context"
	"errors"
	"strings"
	"sync"

	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// GroupsAttribute is the evaluation-context attribute that lists the actor's
// groups: a []string, a []any of strings, or a comma-separated string.
const GroupsAttribute = "groups"

// Provider is an OpenFeature FeatureProvider, StateHandler and EventHandler
// backed by a watched flagctl flag file. Flags are booleans: the other typed
// evaluations return TYPE_MISMATCH with the default value.
type Provider struct {
	path string
	opts []eval.WatchOption

	mu     sync.RWMutex
	ev     *eval.Evaluator
	cancel context.CancelFunc
	stale  bool

	events chan of.Event
}

// New returns a provider for the flag file at path; Init starts watching it.
// opts are passed to eval.Watch (Debounce, PollInterval, Strict, Observe, …).
// OnReload and OnError callbacks among them run after the provider's own, which
// send its events; observers see every evaluation once.
func New(path string, opts ...eval.WatchOption) *Provider {
	return &Provider{path: path, opts: opts, events: make(chan of.Event, 64)}
}

// Metadata names the provider "flagctl".
func (p *Provider) Metadata() of.Metadata { return of.Metadata{Name: "flagctl"} }

// Hooks returns no hooks.
func (p *Provider) Hooks() []of.Hook { return nil }

// EventChannel implements of.EventHandler.
func (p *Provider) EventChannel() <-chan of.Event { return p.events }

// Init loads the file and starts watching it. It fails when the first load
// fails (the SDK then reports the provider in error).
func (p *Provider) Init(of.EvaluationContext) error {
	ctx, cancel := context.WithCancel(context.Background())
	first := true
	opts := append([]eval.WatchOption{
		eval.OnReload(func(r eval.ReloadInfo) {
			if first { // the initial load: the SDK emits READY itself
				first = false
				return
			}
			p.mu.Lock()
			wasStale := p.stale
			p.stale = false
			p.mu.Unlock()
			if wasStale {
				p.emit(of.ProviderReady, of.ProviderEventDetails{Message: "flag file valid again"})
			}
			if len(r.Changed) > 0 {
				p.emit(of.ProviderConfigChange, of.ProviderEventDetails{Message: "flag file reloaded", FlagChanges: r.Changed,
					EventMetadata: map[string]any{"version": r.Version}})
			}
		}),
		eval.OnError(func(err error) {
			var list flagfile.ErrorList
			if errors.As(err, &list) {
				p.mu.Lock()
				p.stale = true
				p.mu.Unlock()
				p.emit(of.ProviderStale, of.ProviderEventDetails{Message: "flag file invalid, serving the last good flags: " + err.Error()})
				return
			}
			p.emit(of.ProviderError, of.ProviderEventDetails{Message: err.Error(), ErrorCode: of.GeneralCode})
		}),
	}, p.opts...)
	ev, err := eval.Watch(ctx, p.path, opts...)
	if err != nil {
		cancel()
		return err
	}
	p.mu.Lock()
	p.ev, p.cancel = ev, cancel
	p.mu.Unlock()
	return nil
}

// Shutdown stops watching and waits for a running reload callback to return.
// Evaluations keep answering from the last flags.
func (p *Provider) Shutdown() {
	p.mu.Lock()
	ev, cancel := p.ev, p.cancel
	p.cancel = nil
	p.mu.Unlock()
	// Not under p.mu: the reload callbacks take it, and Close waits for them.
	if cancel != nil {
		cancel()
		ev.Close()
	}
}

func (p *Provider) emit(t of.EventType, d of.ProviderEventDetails) {
	select {
	case p.events <- of.Event{ProviderName: "flagctl", EventType: t, ProviderEventDetails: d}:
	default: // nobody is draining the channel: drop rather than block a reload
	}
}

func (p *Provider) evaluator() *eval.Evaluator {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.ev
}

// actor maps the evaluation context: the targeting key is the actor ID and the
// groups attribute its groups. Groups without a targeting key meet the group gates
// only (actor and percentage_of_actors gates need the key); neither means no actor.
func actor(flatCtx of.FlattenedContext) eval.Actor {
	id, _ := flatCtx[of.TargetingKey].(string)
	s := eval.Subject{ID: id}
	switch g := flatCtx[GroupsAttribute].(type) {
	case []string:
		s.Groups = g
	case []any:
		for _, x := range g {
			if str, ok := x.(string); ok {
				s.Groups = append(s.Groups, str)
			}
		}
	case string:
		for _, part := range strings.Split(g, ",") {
			if part = strings.TrimSpace(part); part != "" {
				s.Groups = append(s.Groups, part)
			}
		}
	}
	if s.ID == "" && len(s.Groups) == 0 {
		return nil
	}
	return s
}

// BooleanEvaluation evaluates a flag. Reasons: actor or group gate →
// TARGETING_MATCH, percentage gate → SPLIT, boolean gate → STATIC, no gate open →
// DEFAULT; an undefined flag returns the default value with FLAG_NOT_FOUND.
// Variants are "on" and "off"; the flag metadata carries the deciding gate.
func (p *Provider) BooleanEvaluation(_ context.Context, flag string, defaultValue bool, flatCtx of.FlattenedContext) of.BoolResolutionDetail {
	ev := p.evaluator()
	if ev == nil {
		return of.BoolResolutionDetail{Value: defaultValue, ProviderResolutionDetail: of.ProviderResolutionDetail{
			ResolutionError: of.NewProviderNotReadyResolutionError("flagctl provider not initialized"), Reason: of.ErrorReason}}
	}
	d := ev.Explain(flag, actor(flatCtx))
	if d.Gate == eval.GateUndefined {
		return of.BoolResolutionDetail{Value: defaultValue, ProviderResolutionDetail: of.ProviderResolutionDetail{
			ResolutionError: of.NewFlagNotFoundResolutionError("flag " + flag + " is not defined in " + p.path), Reason: of.ErrorReason}}
	}
	reason := of.DefaultReason
	switch d.Gate {
	case eval.GateActor, eval.GateGroup:
		reason = of.TargetingMatchReason
	case eval.GatePercentageOfActors, eval.GatePercentageOfTime:
		reason = of.SplitReason
	case eval.GateBoolean, eval.GateOverride:
		reason = of.StaticReason
	}
	variant := "off"
	if d.Enabled {
		variant = "on"
	}
	meta := of.FlagMetadata{"gate": d.Gate.String()}
	if d.Key != "" {
		meta["key"] = d.Key
	}
	if d.LastGood {
		meta["last_good"] = true
	}
	return of.BoolResolutionDetail{Value: d.Enabled, ProviderResolutionDetail: of.ProviderResolutionDetail{
		Reason: reason, Variant: variant, FlagMetadata: meta}}
}

func mismatch() of.ProviderResolutionDetail {
	return of.ProviderResolutionDetail{ResolutionError: of.NewTypeMismatchResolutionError("flagctl flags are booleans"), Reason: of.ErrorReason}
}

// StringEvaluation returns TYPE_MISMATCH: flagctl flags are booleans.
func (p *Provider) StringEvaluation(_ context.Context, _ string, defaultValue string, _ of.FlattenedContext) of.StringResolutionDetail {
	return of.StringResolutionDetail{Value: defaultValue, ProviderResolutionDetail: mismatch()}
}

// FloatEvaluation returns TYPE_MISMATCH: flagctl flags are booleans.
func (p *Provider) FloatEvaluation(_ context.Context, _ string, defaultValue float64, _ of.FlattenedContext) of.FloatResolutionDetail {
	return of.FloatResolutionDetail{Value: defaultValue, ProviderResolutionDetail: mismatch()}
}

// IntEvaluation returns TYPE_MISMATCH: flagctl flags are booleans.
func (p *Provider) IntEvaluation(_ context.Context, _ string, defaultValue int64, _ of.FlattenedContext) of.IntResolutionDetail {
	return of.IntResolutionDetail{Value: defaultValue, ProviderResolutionDetail: mismatch()}
}

// ObjectEvaluation returns TYPE_MISMATCH: flagctl flags are booleans.
func (p *Provider) ObjectEvaluation(_ context.Context, _ string, defaultValue any, _ of.FlattenedContext) of.InterfaceResolutionDetail {
	return of.InterfaceResolutionDetail{Value: defaultValue, ProviderResolutionDetail: mismatch()}
}

var (
	_ of.FeatureProvider = (*Provider)(nil)
	_ of.StateHandler    = (*Provider)(nil)
	_ of.EventHandler    = (*Provider)(nil)
)
