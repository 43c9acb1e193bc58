// Package testservers starts real redis-server and PostgreSQL processes for
// tests, each in a temporary directory on a free port, stopped and removed when
// the test ends. A missing server binary fails the test (run `make test-deps`):
// it is never skipped.
//
// PostgreSQL refuses to run as root; when the tests run as root (CI), initdb and
// postgres run as the unprivileged "postgres" system user the Debian package
// creates.
package testservers

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 30 * time.Second

// Redis starts a redis-server (no persistence) and returns its address,
// "127.0.0.1:PORT".
func Redis(t testing.TB) string {
	t.Helper()
	bin := findBinary(t, "redis-server", []string{"/usr/bin/redis-server", "/usr/local/bin/redis-server"})
	dir := t.TempDir()
	port := freePort(t)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no")
	logf, err := os.Create(filepath.Join(dir, "redis.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	start(t, cmd, "redis-server", filepath.Join(dir, "redis.log"), func() bool { return redisPing(addr) })
	return addr
}

// Postgres initialises a database cluster and starts postgres on it; it
// returns the URL of the "postgres" database, user "postgres", no password
// (trust authentication on 127.0.0.1 only).
func Postgres(t testing.TB) string {
	t.Helper()
	binDir := postgresBinDir(t)
	// Not t.TempDir: the postgres user must reach it, and the test's temporary
	// directory is private to root.
	dir, err := os.MkdirTemp("", "flagctl-pg-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cred := postgresCredential(t)
	if cred != nil {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(binDir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	initdb.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := freePort(t)
	logPath := filepath.Join(dir, "postgres.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(binDir, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	start(t, cmd, "postgres", logPath, func() bool { return postgresReady(addr) })
	return fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", addr)
}

// start runs cmd, waits until ready reports true, and stops the process (and
// waits for it) when the test ends.
func start(t testing.TB, cmd *exec.Cmd, name, logPath string, ready func() bool) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		// SIGINT is a fast shutdown for postgres; redis-server exits on it too.
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(startTimeout)
	for !ready() {
		select {
		case err := <-done:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("%s exited before accepting connections: %v\n%s", name, err, log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("%s did not accept connections within %v\n%s", name, startTimeout, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// findBinary looks name up in PATH, then in the given places.
func findBinary(t testing.TB, name string, places []string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range places {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	t.Fatalf("%s not found (PATH and %s); run \"make test-deps\" (Debian: apt-get install redis-server postgresql)", name, strings.Join(places, ", "))
	return ""
}

// postgresBinDir finds initdb and postgres: Debian keeps them in
// /usr/lib/postgresql/VERSION/bin (the newest is taken), others in PATH.
func postgresBinDir(t testing.TB) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	t.Fatalf("PostgreSQL's initdb not found (/usr/lib/postgresql/*/bin or PATH); run \"make test-deps\" (Debian: apt-get install postgresql)")
	return ""
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// postgresCredential is the postgres system user when running as root (PostgreSQL
// refuses root), nil otherwise.
func postgresCredential(t testing.TB) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("running as root, PostgreSQL needs an unprivileged user and there is no \"postgres\" user: %v; run \"make test-deps\" (the Debian package creates it)", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// redisPing sends PING in RESP and expects +PONG.
func redisPing(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return false
	}
	buf := make([]byte, 7)
	n, _ := c.Read(buf)
	return string(buf[:n]) == "+PONG\r\n"
}

// postgresReady reports whether postgres accepts a session (not merely a
// connection: during startup it answers "the database system is starting up").
func postgresReady(addr string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=2")
	if err != nil {
		return false
	}
	defer c.Close(ctx)
	return c.Ping(ctx) == nil
}
