package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
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

// TestImportFunWithFlagsPostgres imports FunWithFlags' Ecto table from a real
// PostgreSQL, with --verify, and names a table without the columns.
func TestImportFunWithFlagsPostgres(t *testing.T) {
	url := testservers.Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE fun_with_flags_toggles (
  id bigserial PRIMARY KEY, flag_name varchar(255) NOT NULL, gate_type varchar(255) NOT NULL,
  target varchar(255) NOT NULL, enabled boolean NOT NULL);
CREATE UNIQUE INDEX fwf_flag_name_gate_target_idx ON fun_with_flags_toggles (flag_name, gate_type, target);
INSERT INTO fun_with_flags_toggles (flag_name, gate_type, target, enabled) VALUES
  ('search_enabled', 'boolean', '_fwf_none', false),
  ('search_enabled', 'group', 'staff', true),
  ('search_enabled', 'group', 'contractors', false),
  ('search_enabled', 'percentage', 'actors/0.1', true),
  ('export_enabled', 'percentage', 'time/0.5', true);
CREATE TABLE legacy (name text, on_off boolean);`)
	if err != nil {
		t.Fatal(err)
	}
	p := importProject(t, nil)
	code, stdout, stderr := p.run("import", "funwithflags", "--postgres", url, "--env", "production", "--verify")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := importProdFile + `  export_enabled:
    percentage_of_time: 50%
  search_enabled:
    enabled: false
    groups:
      contractors: false
      staff: true
    percentage_of_actors: 10%
`
	if got := p.read("flags/production.yaml"); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(stdout, "✓ verified 2 flag(s) against ") || !strings.Contains(stdout, "2 group(s), same answers") {
		t.Errorf("stdout:\n%s", stdout)
	}
	code, _, stderr = p.run("import", "funwithflags", "--postgres", url, "--table", "legacy", "--env", "production")
	if code != 3 || !strings.Contains(stderr, "table legacy: the table lacks column(s) flag_name, gate_type, target, enabled") {
		t.Errorf("legacy table: exit %d\n%s", code, stderr)
	}
}
