//go:build unix

package flagfile

import (
	"os"
	"syscall"
	"testing"
)

// TestUpdateKeepsOwner: an edit keeps the file's owner and group where the
// process may set them: as root any (1234:2345), as another user one of its
// other groups (a new file would get its primary group).
func TestUpdateKeepsOwner(t *testing.T) {
	uid, gid := 1234, 2345
	if os.Geteuid() != 0 {
		uid, gid = os.Getuid(), -1
		groups, _ := os.Getgroups()
		for _, g := range groups {
			if g != os.Getgid() {
				gid = g
			}
		}
		if gid < 0 {
			t.Fatal("run as root, or as a user in two groups: the test must be able to give the file an owner or group a new file would not get")
		}
	}
	_, paths, _ := envFiles(t, "production")
	if err := os.Chown(paths[0], uid, gid); err != nil {
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
		if int(sys.Uid) != uid || int(sys.Gid) != gid {
			t.Errorf("owner = %d:%d, want %d:%d", sys.Uid, sys.Gid, uid, gid)
		}
	}
}
