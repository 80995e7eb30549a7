//go:build !unix

package run

import (
	"os"
	"os/exec"
)

// inOwnGroup leaves cmd as it is: without process groups, cancelling kills
// the direct child only (exec.CommandContext's default).
func inOwnGroup(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) error { return nil }

// killProcess kills pid alone.
func killProcess(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}
