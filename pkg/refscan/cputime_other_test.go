//go:build !unix

package refscan

import (
	"os/exec"
	"time"
)

func selfCPU() time.Duration { return 0 }

func childCPU(cmd *exec.Cmd) time.Duration { return 0 }
