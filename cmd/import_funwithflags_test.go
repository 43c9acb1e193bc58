package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/flagctl/flagctl/internal/testservers"
)

// TestImportFunWithFlagsRedis imports from a real redis-server loaded in
// FunWithFlags' layout, verifies, and refuses a database of another layout.
func TestImportFunWithFlagsRedis(t *testing.T) {
	addr := testservers.Redis(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: 1})
	defer rdb.Close()
	rdb.SAdd(ctx, "fun_with_flags", "new_checkout_enabled", "dark_mode_enabled")
	rdb.HSet(ctx, "fun_with_flags:new_checkout_enabled", "boolean", "false", "actor/user:42", "true", "group/beta", "true", "percentage", "actors/0.3")
	rdb.HSet(ctx, "fun_with_flags:dark_mode_enabled", "boolean", "true")
	p := importProject(t, nil)
	// The server has no password; go-redis tolerates one, which must not show.
	code, stdout, stderr := p.run("import", "funwithflags", "--redis", "redis://:pw@"+addr+"/1", "--env", "production", "--verify")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := importProdFile + `  dark_mode_enabled:
    enabled: true
  new_checkout_enabled:
    enabled: false
    actors:
      "user:42": true
    groups:
      beta: true
    percentage_of_actors: 30%
`
	if got := p.read("flags/production.yaml"); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(stdout+stderr, ":pw@") || !strings.Contains(stdout, "✓ verified 2 flag(s) against redis://:xxxxx@"+addr+"/1: 1000 generated actors, 1 group(s), same answers") {
		t.Errorf("stdout:\n%s", stdout)
	}
	rdb.Set(ctx, "fun_with_flags:dark_mode_enabled", "x", 0)
	code, _, stderr = p.run("import", "funwithflags", "--redis", "redis://"+addr+"/1", "--env", "production", "--overwrite")
	if code != 3 || !strings.Contains(stderr, "key fun_with_flags:dark_mode_enabled: is a Redis string, not a hash") {
		t.Errorf("wrong type: exit %d\n%s", code, stderr)
	}
}
