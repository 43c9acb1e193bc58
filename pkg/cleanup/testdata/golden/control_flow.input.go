package app

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"example.com/app/flags"
	"github.com/flagctl/flagctl/pkg/eval"
)

type Server struct {
	ev *eval.Evaluator
	f  *flags.Flags
}

func (s *Server) newCheckout(u eval.Actor) bool {
	return s.f.NewCheckoutEnabled.EnabledFor(u)
}

func (s *Server) Handle(ctx context.Context, u eval.Subject, items []string) (total int, err error) {
	defer func() {
		if s.ev.Enabled("new_checkout_enabled") {
			log.Println("done new")
		}
	}()
outer:
	for i, it := range items {
		switch it {
		case "skip":
			if s.newCheckout(u) {
				continue outer
			}
			fmt.Println("old skip", i)
		case "stop":
			if !s.newCheckout(u) {
				break outer
			}
		}
		select {
		case <-ctx.Done():
			if s.ev.Enabled(flags.NewCheckoutEnabled) {
				return total, ctx.Err()
			}
			return
		default:
		}
		total++
	}
	if err := os.Setenv("A", "b"); err != nil || !s.ev.Enabled("new_checkout_enabled") {
		return 0, errors.Join(err, errors.New("old"))
	}
	if s.ev.Enabled("new_checkout_enabled") && s.ev.Enabled("dark_mode_enabled") {
		defer fmt.Println("both")
	}
	f := s.newCheckout
	_ = f
	return total, nil
}
