//go:build unix

package flagfile

import (
	"os"
	"syscall"
	"testing"
)

// TestUpdateKeepsOwner: an edit by root keeps the file's owner and group.
func TestUpdateKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("this test checks chown and must run as root (it does in CI and the dev container)")
	}
	_, paths, _ := envFiles(t, "production")
	if err := os.Chown(paths[0], 1234, 2345); err != nil {
		t.Fatal(err)
	}
	for _, edit := range []func() error{
		func() error { _, _, err := Update(paths[0], ParseOptions{}, SetBoolean("a_enabled", true)); return err },
		func() error { return WriteFile(paths[0], []byte("version: 1\nflags: {}\n")) },
	} {
		if err := edit(); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		if sys.Uid != 1234 || sys.Gid != 2345 {
			t.Errorf("owner = %d:%d, want 1234:2345", sys.Uid, sys.Gid)
		}
	}
}
