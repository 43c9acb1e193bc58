package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/flagctl/flagctl/internal/testservers"
)

// Benchmarks (make bench-import, checked by internal/benchcheck):
//   ImportRedis10k    10,000 FunWithFlags flags with 10 actor gates each, read
//                     from a real redis-server and written to a new file: <= 2 s
//   ImportFlipper10k  a 10,000-feature Flipper export read and written: <= 1 s
// Each op is the whole import: read the source, plan, write the file.

func BenchmarkImportRedis10k(b *testing.B) {
	addr := testservers.Redis(b)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	pipe := rdb.Pipeline()
	for i := 0; i < 10000; i++ {
		name := fmt.Sprintf("flag_%05d_enabled", i)
		pipe.SAdd(ctx, "fun_with_flags", name)
		fields := []any{"boolean", fmt.Sprint(i%2 == 0)}
		for a := 0; a < 10; a++ {
			fields = append(fields, fmt.Sprintf("actor/user:%d", i*10+a), fmt.Sprint(a%3 != 0))
		}
		pipe.HSet(ctx, "fun_with_flags:"+name, fields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		res, err := ReadFunWithFlagsRedis(ctx, "redis://"+addr+"/0", "production")
		if err != nil {
			b.Fatal(err)
		}
		importBench(b, res, dir, 10000)
	}
}

func BenchmarkImportFlipper10k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"version": 1, "features": {`)
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `"feature_%05d": {"boolean": null, "expression": null, "actors": ["User;%d", "User;%d"], "groups": ["admins"], "percentage_of_actors": "%d.5", "percentage_of_time": null}`, i, i, i+1, i%100)
	}
	sb.WriteString("}}")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := ReadFlipper("export.json", data, "production")
		if err != nil {
			b.Fatal(err)
		}
		importBench(b, res, b.TempDir(), 10000)
	}
}

func importBench(b *testing.B, res *Result, dir string, want int) {
	plans, err := Plan(res, func(env string) string { return filepath.Join(dir, env+".yaml") }, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := Write(plans); err != nil {
		b.Fatal(err)
	}
	if n := len(plans[0].File.Flags); n != want {
		b.Fatalf("%d flags written, want %d", n, want)
	}
}
