package tui

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// This file drives the real dblings binary in a real terminal: tmux, on a
// server of its own (-L), so nothing touches the tmux sessions of the
// person running the tests.

// repoRoot is the dblings checkout these tests run in.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		tb.Fatalf("find the module root: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// buildBinary builds dblings from this checkout into a temporary folder.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "dblings")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = repoRoot(tb)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// copyWorkspace copies the checkout (without .git, build output and
// progress) into a temporary folder: the tests edit exercise files, and
// only ever in the copy.
func copyWorkspace(tb testing.TB) string {
	tb.Helper()
	root, dst := repoRoot(tb), tb.TempDir()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		switch {
		case d.IsDir() && (rel == ".git" || rel == "bin" || rel == ".dblings"):
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		case !d.Type().IsRegular() || strings.HasSuffix(rel, ".test"):
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		tb.Fatalf("copy the workspace: %v", err)
	}
	return dst
}

// terminal is one tmux session of 80×24 running a command.
type terminal struct {
	tb     testing.TB
	socket string
	target string
}

// startTerminal runs argv in a detached 80×24 tmux session in dir. The
// pane stays after the command exits, so its exit status can be read.
func startTerminal(tb testing.TB, dir string, argv ...string) *terminal {
	tb.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		tb.Skip("tmux is not installed")
	}
	t := &terminal{tb: tb, socket: fmt.Sprintf("dblings-test-%d-%d", os.Getpid(), time.Now().UnixNano()), target: "lab"}
	t.tmux("-f", "/dev/null", "new-session", "-d", "-s", t.target, "-x", "80", "-y", "24", "-c", dir, "--", "sh", "-c", "exec "+shellQuote(argv))
	t.tmux("set-option", "-t", t.target, "remain-on-exit", "on")
	tb.Cleanup(func() { _ = exec.Command("tmux", "-L", t.socket, "kill-server").Run() })
	return t
}

func (t *terminal) tmux(args ...string) string {
	t.tb.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", t.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.tb.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys types keys as tmux names them ("Enter", "Escape", "c").
func (t *terminal) keys(keys ...string) {
	t.tb.Helper()
	t.tmux(append([]string{"send-keys", "-t", t.target}, keys...)...)
}

// screen is what the terminal shows now, as text.
func (t *terminal) screen() string {
	t.tb.Helper()
	return t.tmux("capture-pane", "-p", "-t", t.target)
}

// waitFor waits until the screen holds every one of texts, and returns it.
func (t *terminal) waitFor(timeout time.Duration, texts ...string) string {
	t.tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := t.screen()
		if containsAll(screen, texts) {
			return screen
		}
		if time.Now().After(deadline) {
			t.tb.Fatalf("after %s the screen does not show %q:\n%s", timeout, texts, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// exitStatus waits for the command to end and returns its status.
func (t *terminal) exitStatus(timeout time.Duration) int {
	t.tb.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var dead, status int
		out := t.tmux("display-message", "-p", "-t", t.target, "#{pane_dead} #{pane_dead_status}")
		if _, err := fmt.Sscan(out, &dead, &status); err == nil && dead == 1 {
			return status
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Ask a Go program where it is stuck: SIGQUIT prints its goroutines.
	_ = syscall.Kill(t.pid(), syscall.SIGQUIT)
	time.Sleep(time.Second)
	state := t.tmux("display-message", "-p", "-t", t.target, "dead=#{pane_dead} status=#{pane_dead_status} pid=#{pane_pid}")
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", t.pid()))
	t.tb.Fatalf("the program did not exit within %s (%s, %q):\n%s", timeout, strings.TrimSpace(state), cmdline, t.tmux("capture-pane", "-p", "-S", "-300", "-t", t.target))
	return -1
}

// pid is the process running in the pane.
func (t *terminal) pid() int {
	t.tb.Helper()
	var pid int
	if _, err := fmt.Sscan(t.tmux("display-message", "-p", "-t", t.target, "#{pane_pid}"), &pid); err != nil {
		t.tb.Fatal(err)
	}
	return pid
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func shellQuote(argv []string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}
