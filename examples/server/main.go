// Command server is a small net/http service that reads its environment's flag
// file with eval.Watch: edit the file (with flagctl or by hand) while it runs and
// the next request sees the change.
//
//	go run ./examples/server -flags flags.example.yaml -addr 127.0.0.1:8080
//	curl '127.0.0.1:8080/checkout?user=user:42&groups=beta_testers'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
)

func main() {
	path := flag.String("flags", "flags/production.yaml", "flag file of this environment")
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	flags, err := eval.Watch(ctx, *path,
		eval.OnReload(func(r eval.ReloadInfo) {
			log.Printf("flags reloaded: %d flags, version %.12s, %v", r.Flags, r.Version, r.Took)
		}),
		eval.OnError(func(err error) {
			log.Printf("flags: %v (still serving the last good flags)", err)
		}),
	)
	if err != nil {
		log.Fatal(err) // the first load must succeed
	}
	defer flags.Close()

	http.HandleFunc("/checkout", func(w http.ResponseWriter, r *http.Request) {
		user := eval.Subject{ID: r.URL.Query().Get("user")}
		if g := r.URL.Query().Get("groups"); g != "" {
			user.Groups = strings.Split(g, ",")
		}
		if flags.EnabledFor("new_checkout_enabled", user) {
			fmt.Fprintln(w, "new checkout")
			return
		}
		fmt.Fprintln(w, "old checkout")
	})
	http.HandleFunc("/explain", func(w http.ResponseWriter, r *http.Request) {
		d := flags.Explain(r.URL.Query().Get("flag"), eval.Subject{ID: r.URL.Query().Get("user")})
		fmt.Fprintf(w, "%v: %s\n", d.Enabled, d)
	})

	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	log.Printf("listening on %s, flags from %s", *addr, *path)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
