package cmd

import "os"

func osChmod(path string, mode os.FileMode) error { return os.Chmod(path, mode) }

func isRoot() bool { return os.Geteuid() == 0 }
