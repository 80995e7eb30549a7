//go:build unix

package run

import (
	"os/exec"
	"syscall"
)

// inOwnGroup starts cmd in a process group of its own, so that cancelling
// kills everything it started: go test's compilers, test2json, the test
// binary and whatever the learner's code spawned.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
}

// killGroup kills cmd's process group. It is also called after a normal
// exit, to take down children the learner's code left behind.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if err == syscall.ESRCH {
		return nil
	}
	return err
}
