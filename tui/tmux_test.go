package tui

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// built is the dblings binary, built once for all the tests of the
// package that drive it (a link of dblings is about 5 s of CPU), in a
// folder TestMain removes.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds dblings from this checkout into a temporary folder,
// on the package's first call; later calls return the same binary.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	root := repoRoot(tb)
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "dblings-tui-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "dblings")
		cmd := exec.Command("go", "build", "-o", built.bin, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		tb.Fatal(built.err)
	}
	return built.bin
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

// terminal is one tmux session of 80×24 running a command under a shell
// that writes the command's exit status to a file: tmux itself sometimes
// never reaps a pane's process, and then cannot tell its status.
type terminal struct {
	tb     testing.TB
	socket string
	target string
	status string // the file the exit status goes to
}

// startTerminal runs argv in a detached 80×24 tmux session in dir. With
// hold, the command starts only once Enter is typed, so that a test can
// prepare (pipe-pane) before the first byte is drawn.
func startTerminal(tb testing.TB, dir string, hold bool, argv ...string) *terminal {
	tb.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		tb.Fatal("tmux is not installed; the lab's end-to-end tests drive it in tmux (apt-get install tmux)")
	}
	t := &terminal{
		tb:     tb,
		socket: fmt.Sprintf("dblings-test-%d-%d", os.Getpid(), time.Now().UnixNano()),
		target: "lab",
		status: filepath.Join(tb.TempDir(), "status"),
	}
	script := shellQuote(argv) + "; echo $? > " + shellQuote([]string{t.status})
	if hold {
		script = "read _ && " + script
	}
	t.tmux("-f", "/dev/null", "new-session", "-d", "-s", t.target, "-x", "80", "-y", "24", "-c", dir, "--", "sh", "-c", script)
	socket := strings.TrimSpace(t.tmux("display-message", "-p", "#{socket_path}"))
	tb.Cleanup(func() {
		_ = exec.Command("tmux", "-L", t.socket, "kill-server").Run()
		_ = os.Remove(socket) // tmux leaves it behind
	})
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
	pid := t.pid()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(t.status); err == nil && len(b) > 0 {
			status, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.tb.Fatalf("exit status %q: %v", b, err)
			}
			return status
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Ask the Go program where it is stuck: SIGQUIT prints its goroutines.
	_ = syscall.Kill(pid, syscall.SIGQUIT)
	time.Sleep(time.Second)
	t.tb.Fatalf("the program did not exit within %s:\n%s", timeout, t.tmux("capture-pane", "-p", "-S", "-300", "-t", t.target))
	return -1
}

// pid is the program's process: the child of the pane's shell.
func (t *terminal) pid() int {
	t.tb.Helper()
	var shell int
	if _, err := fmt.Sscan(t.tmux("display-message", "-p", "-t", t.target, "#{pane_pid}"), &shell); err != nil {
		t.tb.Fatal(err)
	}
	kids := children(shell)
	if len(kids) == 0 {
		t.tb.Fatal("the shell of the pane runs no program yet")
	}
	return kids[0]
}

// children are the processes pid started, from any of its threads.
func children(pid int) []int {
	var out []int
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, file := range files {
		b, _ := os.ReadFile(file)
		for _, f := range strings.Fields(string(b)) {
			if child, err := strconv.Atoi(f); err == nil {
				out = append(out, child)
			}
		}
	}
	return out
}

// descendants are the processes started by pid and by its children.
func descendants(pid int) []int {
	var out []int
	for _, child := range children(pid) {
		out = append(append(out, child), descendants(child)...)
	}
	return out
}

// running reports whether pid is a live process (not a zombie).
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

// containersOf lists the containers labelled with owner pid; nil without
// a docker CLI.
func containersOf(pid int) []string {
	if _, err := exec.LookPath("docker"); err != nil {
		return nil
	}
	out, _ := exec.Command("docker", "ps", "-q", "--filter", fmt.Sprintf("label=dblings.owner.pid=%d", pid)).Output()
	return strings.Fields(string(out))
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
