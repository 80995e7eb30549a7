//go:build unix

package run

import (
	"os/exec"
	"syscall"
)

// inOwnGroup starts cmd in a process group of its own, so that cancelling
// kills everything it started: go test's compilers, test2json, the test
// binary and whatever the learner's code spawned in the same group.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
}

// killGroup kills cmd's process group. It is also called after a normal
// exit, to take down children the learner's code left behind; those that
// left the group (setsid) are found by sweep.
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

// killProcess kills pid, and the process group it leads if it leads one:
// test2json and go test -c lead the groups their children run in.
func killProcess(pid int) {
	if pgid, err := syscall.Getpgid(pid); err == nil && pgid == pid {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}
