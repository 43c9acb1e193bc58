package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// genFlags writes a flag file of n flags for env.
func genFlags(env string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated.\nversion: 1\nenvironment: %s\nflags:\n", env)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  flag_%05d_enabled:\n    description: Flag %d\n    owner: team-%d\n    kind: release\n    created: 2026-10-02\n    enabled: false\n    actors:\n      \"user:%d\": true\n    groups:\n      beta: true\n    percentage_of_actors: 10%%\n\n", i, i, i%10, i)
	}
	return b.String()
}

func benchBinary(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "flagctl")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/flagctl/flagctl").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkCLIEnable5k: `flagctl enable` on a 5,000-flag file, process start
// included. Target: <= 40 ms per run.
func BenchmarkCLIEnable5k(b *testing.B) {
	bin := benchBinary(b)
	dir := b.TempDir()
	path := filepath.Join(dir, "production.yaml")
	os.WriteFile(path, []byte(genFlags("production", 5000)), 0o644)
	verbs := []string{"enable", "disable"}
	i := 0
	for b.Loop() {
		out, err := exec.Command(bin, "--file", path, verbs[i%2], "flag_02500_enabled").CombinedOutput()
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		i++
	}
}

// BenchmarkCLIProject3x10k: edits of a project of 3 environments of 10,000
// flags each (10 actors + 3 groups per flag), process start included: enable
// in one environment (the baseline), create and remove in every one. Each
// reports ns/file, its time per file it edits. Target: create and remove <= 2x
// enable per file (issue 22 measured create at 9x enable per file).
func BenchmarkCLIProject3x10k(b *testing.B) {
	bin := benchBinary(b)
	dir := b.TempDir()
	os.MkdirAll(filepath.Join(dir, "flags"), 0o755)
	os.WriteFile(filepath.Join(dir, ".flagctl.yaml"), []byte("environments: [development, staging, production]\n"), 0o644)
	for _, env := range []string{"development", "staging", "production"} {
		os.WriteFile(filepath.Join(dir, "flags", env+".yaml"), []byte(genProject(env, 10000)), 0o644)
	}
	run := func(args ...string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("flagctl %v: %v\n%s", args, err, out)
		}
	}
	perFile := func(b *testing.B, files int) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*files), "ns/file")
	}
	b.Run("op=enable", func(b *testing.B) {
		verbs := []string{"enable", "disable"}
		i := 0
		for b.Loop() {
			run("--env", "production", verbs[i%2], "flag_05000_enabled")
			i++
		}
		perFile(b, 1)
	})
	b.Run("op=create", func(b *testing.B) {
		for b.Loop() {
			run("create", "new_flag_enabled")
			b.StopTimer()
			run("remove", "new_flag_enabled")
			b.StartTimer()
		}
		perFile(b, 3)
	})
	b.Run("op=remove", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			run("create", "new_flag_enabled")
			b.StartTimer()
			run("remove", "new_flag_enabled")
		}
		perFile(b, 3)
	})
}

// genProject writes a flag file of n flags for env, each with 10 actors and 3
// groups.
func genProject(env string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated.\nversion: 1\nenvironment: %s\nflags:\n", env)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  flag_%05d_enabled:\n    description: Flag %d\n    owner: team-%d\n    kind: release\n    created: 2026-10-02\n    enabled: false\n    actors:\n", i, i, i%10)
		for a := 0; a < 10; a++ {
			fmt.Fprintf(&b, "      \"user:%d\": true\n", i*10+a)
		}
		b.WriteString("    groups:\n      beta: true\n      staff: true\n      internal: true\n    percentage_of_actors: 10%\n\n")
	}
	return b.String()
}

// BenchmarkCLILint3x10k: `flagctl lint` over 3 environments of 10,000 flags each.
// Target: <= 1 s per run.
func BenchmarkCLILint3x10k(b *testing.B) {
	bin := benchBinary(b)
	dir := b.TempDir()
	os.MkdirAll(filepath.Join(dir, "flags"), 0o755)
	os.WriteFile(filepath.Join(dir, ".flagctl.yaml"), []byte("environments: [development, staging, production]\n"), 0o644)
	for _, env := range []string{"development", "staging", "production"} {
		os.WriteFile(filepath.Join(dir, "flags", env+".yaml"), []byte(genFlags(env, 10000)), 0o644)
	}
	for b.Loop() {
		cmd := exec.Command(bin, "lint")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
