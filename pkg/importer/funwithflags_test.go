package importer

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/flagctl/flagctl/internal/testservers"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// fwfData is FunWithFlags data as its Redis adapter writes it: flag name →
// hash fields. "empty_enabled" is in the set without a hash.
var fwfData = map[string]map[string]string{
	"new_checkout_enabled": {"boolean": "false", "actor/user:42": "true", "actor/user:7": "false",
		"group/beta_testers": "true", "group/banned": "false", "percentage": "actors/0.25"},
	"dark_mode_enabled": {"boolean": "true"},
	"reports_enabled":   {"percentage": "time/0.1"},
	"odd_ratio_enabled": {"percentage": "actors/0.123456", "group/staff": "true"},
	"tiny_enabled":      {"percentage": "actors/1.0e-4"},
	"sampled_enabled":   {"percentage": "time/0.123456"},
	"NewSearch":         {"boolean": "true", "actor/user:1": "false"},
	"empty_enabled":     nil,
}

// fwfWant is the translation, sorted by name. 0.123456 opens scores up to
// 8090/65536, and so does 12.345% (and no other flagctl percentage).
const fwfWant = `  dark_mode_enabled: {enabled: true}
  new_checkout_enabled: {enabled: false, actors: {user:42: true, user:7: false}, groups: {banned: false, beta_testers: true}, percentage_of_actors: 25%}
  NEWSEARCH
  odd_ratio_enabled: {groups: {staff: true}, percentage_of_actors: 12.345%}
  reports_enabled: {percentage_of_time: 10%}
  sampled_enabled: {percentage_of_time: 12.346%}
  tiny_enabled: {percentage_of_actors: 0.01%}
`

// summarize renders flags on one line each, for comparison.
func summarize(fls []*flagfile.Flag) string {
	var b strings.Builder
	for _, fl := range fls {
		var parts []string
		if fl.Boolean != nil {
			parts = append(parts, fmt.Sprintf("enabled: %v", *fl.Boolean))
		}
		gates := func(key string, gs []flagfile.Gate) {
			if len(gs) == 0 {
				return
			}
			gs = append([]flagfile.Gate(nil), gs...)
			sort.Slice(gs, func(i, j int) bool { return gs[i].ID < gs[j].ID })
			var s []string
			for _, g := range gs {
				s = append(s, fmt.Sprintf("%s: %v", g.ID, g.Enabled))
			}
			parts = append(parts, key+": {"+strings.Join(s, ", ")+"}")
		}
		gates("actors", fl.Actors)
		gates("groups", fl.Groups)
		if fl.PercentageOfActors != 0 {
			parts = append(parts, "percentage_of_actors: "+fl.PercentageOfActors.String())
		}
		if fl.PercentageOfTime != 0 {
			parts = append(parts, "percentage_of_time: "+fl.PercentageOfTime.String())
		}
		if fl.Bucketing != "" {
			parts = append(parts, "bucketing: "+string(fl.Bucketing))
		}
		if !fl.Created.IsZero() {
			parts = append(parts, "created: "+fl.Created.String())
		}
		fmt.Fprintf(&b, "  %s: {%s}\n", fl.Name, strings.Join(parts, ", "))
	}
	return b.String()
}

func loadFWFRedis(t testing.TB, addr string, db int, data map[string]map[string]string) {
	t.Helper()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: db})
	defer rdb.Close()
	pipe := rdb.Pipeline()
	for name, fields := range data {
		pipe.SAdd(ctx, "fun_with_flags", name)
		for k, v := range fields {
			pipe.HSet(ctx, "fun_with_flags:"+name, k, v)
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

// fwfMigration is FunWithFlags' Ecto migration (1.11+, with timestamps) in SQL.
const fwfMigration = `CREATE TABLE %s (
  id bigserial PRIMARY KEY,
  flag_name varchar(255) NOT NULL,
  gate_type varchar(255) NOT NULL,
  target varchar(255) NOT NULL,
  enabled boolean NOT NULL,
  inserted_at timestamp(0) without time zone,
  updated_at timestamp(0) without time zone
);
CREATE UNIQUE INDEX ON %s (flag_name, gate_type, target);`

// loadFWFPostgres writes data as the Ecto adapter does: one row per gate.
func loadFWFPostgres(t testing.TB, url, table string, data map[string]map[string]string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf(fwfMigration, table, table)); err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	day := 0
	for _, name := range sortedFlagNames(data) {
		day++
		for _, field := range sortedKeys(data[name]) {
			v := data[name][field]
			typ, target, enabled := field, "_fwf_none", v == "true"
			switch {
			case field == "percentage":
				typ, target, enabled = "percentage", v, true
			case strings.Contains(field, "/"):
				typ, target, _ = strings.Cut(field, "/")
			}
			at := fmt.Sprintf("2026-0%d-1%d 12:00:00", 1+day%9, len(rows)%10)
			rows = append(rows, []any{name, typ, target, enabled, at})
		}
	}
	for _, r := range rows {
		if _, err := conn.Exec(ctx, "INSERT INTO "+table+" (flag_name, gate_type, target, enabled, inserted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)", r...); err != nil {
			t.Fatal(err)
		}
	}
}

func sortedFlagNames(data map[string]map[string]string) []string {
	var out []string
	for k := range data {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func wantFWF(withEmpty bool, renamed string) string {
	w := strings.Replace(fwfWant, "  NEWSEARCH\n", "  newsearch: {enabled: true, actors: {user:1: false}"+renamed+"}\n", 1)
	if withEmpty {
		w = strings.Replace(w, "  new_checkout", "  empty_enabled: {}\n  new_checkout", 1)
	}
	return w
}

// checkFWF compares a FunWithFlags import with the expected flags and issues,
// writes it, and verifies it against FunWithFlags' semantics.
func checkFWF(t *testing.T, res *Result, want string) {
	t.Helper()
	var fls []*flagfile.Flag
	for _, fl := range res.Flags["production"] {
		c := fl.Clone()
		c.Created = flagfile.Date{} // checked separately
		fls = append(fls, c)
	}
	sort.Slice(fls, func(i, j int) bool { return fls[i].Name < fls[j].Name })
	if got := summarize(fls); got != want {
		t.Errorf("flags:\n%s\nwant:\n%s", got, want)
	}
	var issues []string
	for _, is := range res.Issues {
		issues = append(issues, is.Flag+": "+is.Msg)
	}
	sort.Strings(issues)
	wantIssues := []string{
		`newsearch: FunWithFlags flag "NewSearch" is imported as "newsearch" (flag names are lower-case letters, digits and _): change the name in code`,
		`sampled_enabled: percentage_of_time 0.123456 rounded to 12.346% (flagctl keeps three decimals of a percent)`,
	}
	if strings.Join(issues, "\n") != strings.Join(wantIssues, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(issues, "\n"), strings.Join(wantIssues, "\n"))
	}
	_, files := writeResult(t, res, t.TempDir(), Options{})
	checked, diffs := Verify(res, files, GenerateActors("user:%d", 3000))
	if len(diffs) > 0 || checked != len(res.Flags["production"]) {
		t.Errorf("verify: %d checked, differences: %v", checked, diffs)
	}
}

func TestFunWithFlagsRedis(t *testing.T) {
	addr := testservers.Redis(t)
	loadFWFRedis(t, addr, 2, fwfData)
	ctx := context.Background()
	res, err := ReadFunWithFlagsRedis(ctx, "redis://"+addr+"/2", "production")
	if err != nil {
		t.Fatal(err)
	}
	checkFWF(t, res, wantFWF(true, ""))
	if res.Source != "redis://"+addr+"/2" {
		t.Errorf("source = %q", res.Source)
	}

	// Database 3: keys of other types.
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: 3})
	defer rdb.Close()
	rdb.Set(ctx, "fun_with_flags", "oops", 0)
	_, err = ReadFunWithFlagsRedis(ctx, "redis://"+addr+"/3", "production")
	wantErr := "redis://" + addr + "/3:key fun_with_flags: is a Redis string, not a set"
	if err == nil || !strings.HasPrefix(err.Error(), wantErr) {
		t.Errorf("err = %v, want %s", err, wantErr)
	}
	rdb.Del(ctx, "fun_with_flags")
	rdb.SAdd(ctx, "fun_with_flags", "a_enabled", "b_enabled")
	rdb.HSet(ctx, "fun_with_flags:a_enabled", "boolean", "true")
	rdb.RPush(ctx, "fun_with_flags:b_enabled", "x")
	_, err = ReadFunWithFlagsRedis(ctx, "redis://"+addr+"/3", "production")
	wantErr = "redis://" + addr + "/3:key fun_with_flags:b_enabled: is a Redis list, not a hash"
	if err == nil || !strings.HasPrefix(err.Error(), wantErr) {
		t.Errorf("err = %v, want %s", err, wantErr)
	}
	for _, tc := range []struct{ field, value, want string }{
		{"boolean", "yes", `key fun_with_flags:b_enabled field boolean: value "yes": expected "true" or "false"`},
		{"percentage", "actors/1.5", `percentage gate "actors/1.5": the ratio must be greater than 0 and at most 1`},
		{"percentage", "half", `percentage gate "half": expected time/RATIO or actors/RATIO`},
		{"gate/x", "true", "key fun_with_flags:b_enabled field gate/x: unknown field"},
	} {
		rdb.Del(ctx, "fun_with_flags:b_enabled")
		rdb.HSet(ctx, "fun_with_flags:b_enabled", tc.field, tc.value)
		_, err = ReadFunWithFlagsRedis(ctx, "redis://"+addr+"/3", "production")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%s: err = %v, want %s", tc.field, tc.value, err, tc.want)
		}
	}
	// A password never shows.
	_, err = ReadFunWithFlagsRedis(ctx, "redis://:s3cret@"+addr+"/3", "production")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v (a server without a password refuses AUTH; the password must not show)", err)
	}
}

func TestFunWithFlagsPostgresAndCSV(t *testing.T) {
	url := testservers.Postgres(t)
	loadFWFPostgres(t, url, "fun_with_flags_toggles", fwfData)
	ctx := context.Background()
	res, err := ReadFunWithFlagsPostgres(ctx, url, "", "production")
	if err != nil {
		t.Fatal(err)
	}
	// The Ecto store has no row for a flag without gates.
	checkFWF(t, res, wantFWF(false, ""))
	created := map[string]string{}
	for _, fl := range res.Flags["production"] {
		created[fl.Name] = fl.Created.String()
	}
	if created["dark_mode_enabled"] != "2026-03-12" || created["new_checkout_enabled"] != "2026-05-13" {
		t.Errorf("created dates from inserted_at: %v", created)
	}

	// The same table exported by psql, as the issue describes.
	csvPath := filepath.Join(t.TempDir(), "toggles.csv")
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Fatalf("psql not found: run \"make test-deps\" (Debian: apt-get install postgresql-client)")
	}
	out, err := exec.Command(psql, url, "-c", `\copy fun_with_flags_toggles to '`+csvPath+`' csv header`).CombinedOutput()
	if err != nil {
		t.Fatalf("psql \\copy: %v\n%s", err, out)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "id,flag_name,gate_type,target,enabled,inserted_at,updated_at\n") {
		t.Fatalf("unexpected export:\n%s", data)
	}
	res, err = ReadFunWithFlagsCSV("toggles.csv", data, "production")
	if err != nil {
		t.Fatal(err)
	}
	checkFWF(t, res, wantFWF(false, ""))
	for _, fl := range res.Flags["production"] {
		if fl.Created.String() != created[fl.Name] {
			t.Errorf("%s: CSV created %s, table %s", fl.Name, fl.Created, created[fl.Name])
		}
	}

	// Bad tables.
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA other; CREATE TABLE other.toggles (flag_name text, gate text, target text)"); err != nil {
		t.Fatal(err)
	}
	loadFWFPostgres(t, url, "other.fwf", map[string]map[string]string{"a_enabled": {"boolean": "true"}})
	for _, tc := range []struct{ table, want string }{
		{"nope", "table nope: no such table; FunWithFlags' default is fun_with_flags_toggles (--table names another)"},
		{"other.toggles", "table other.toggles: the table lacks column(s) gate_type, enabled; is it FunWithFlags' toggles table"},
	} {
		_, err := ReadFunWithFlagsPostgres(ctx, url, tc.table, "production")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %s", tc.table, err, tc.want)
		}
	}
	res, err = ReadFunWithFlagsPostgres(ctx, url, "other.fwf", "production")
	if err != nil || summarize(res.Flags["production"]) != "  a_enabled: {enabled: true, created: 2026-02-10}\n" {
		t.Errorf("schema-qualified table: %v\n%s", err, summarize(res.Flags["production"]))
	}
}

func TestFunWithFlagsCSVBadInput(t *testing.T) {
	const head = "id,flag_name,gate_type,target,enabled\n"
	tests := []struct{ name, data, want string }{
		{"empty", "", "t.csv:1: empty file"},
		{"no enabled", "id,flag_name,gate_type,target\n1,a,boolean,_fwf_none\n", "t.csv:1: the header lacks column(s) enabled"},
		{"bad bool", head + "1,a,boolean,_fwf_none,yes\n", `t.csv:2: enabled "yes": expected t or f`},
		{"boolean target", head + "1,a,boolean,x,t\n", `t.csv:2: target "x": a boolean gate's target is _fwf_none`},
		{"field count", head + "1,a,boolean,_fwf_none,t\n2,b,actor\n", "t.csv:3:1: not valid CSV: wrong number of fields"},
		{"quote", head + "1,\"a,boolean,_fwf_none,t\n", "t.csv:2:"},
		{"gate type", head + "1,a,rollout,x,t\n", `t.csv:2: unknown gate type "rollout"`},
		// FunWithFlags' unique index allows one row per gate; two are not guessed at.
		{"actor twice", head + "1,a,actor,user:1,t\n2,a,actor,user:1,f\n", `t.csv:3: actor gate of "user:1" listed twice; keep one of the rows`},
		{"group twice", head + "1,a,group,beta,t\n2,a,group,beta,t\n", `t.csv:3: group gate of "beta" listed twice; keep one of the rows`},
	}
	for _, tt := range tests {
		_, err := ReadFunWithFlagsCSV("t.csv", []byte(tt.data), "p")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.want)
		}
	}
}

// TestFWFActorsPercentIsExact: for every cut-off FunWithFlags can have (K, the
// last score byte pair it opens) the chosen percentage opens exactly 0..K.
func TestFWFActorsPercentIsExact(t *testing.T) {
	for k := 0; k < 65536; k++ {
		for _, r := range []float64{float64(k) / 65536, (float64(k) + 0.5) / 65536, (float64(k) + 0.999) / 65536} {
			if r <= 0 || r >= 1 {
				continue
			}
			p := fwfActorsPercent(r)
			// flagctl opens n when n*100000 <= p*65536: the largest such n.
			got := min(int(uint64(p)*65536/100000), 65535)
			if got != k {
				t.Fatalf("ratio %v (K=%d): %s opens up to %d", r, k, p, got)
			}
		}
	}
	if fwfActorsPercent(0.25) != 25000 || fwfActorsPercent(1e-4) != 10 {
		t.Errorf("0.25 → %s, 1e-4 → %s", fwfActorsPercent(0.25), fwfActorsPercent(1e-4))
	}
}
