package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/testenv"
)

// binary is the dblings program built once for the tests that drive it as a
// user would, in a real process with real signals.
var binary string

// servers is the environment the tests that check lessons through
// --env external share, as a room shares one: each data set loads once.
// It has as many Postgres servers as the catalog's lessons need.
var servers = &testenv.Shared{}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dblings-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "dblings")
	build := exec.Command("go", "build", "-o", binary, "github.com/dblings/dblings")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build dblings:", err)
		os.Exit(1)
	}
	code := servers.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// workspace makes an empty folder that passes for a dblings checkout.
func workspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "go.mod"), []byte("module example.com/ws\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(ws, "exercises"), 0o755); err != nil {
		t.Fatal(err)
	}
	return ws
}

type result struct {
	code           int
	stdout, stderr string
}

// run executes dblings to completion.
func run(t testing.TB, ws string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = ws
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
		t.Fatalf("dblings %v panicked:\n%s", args, r.stderr)
	}
	return r
}

// foreground is a running "env up --foreground"; exited closes when it ends.
type foreground struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// startForeground runs "env up --foreground" with one Postgres server (as
// envUp) and waits until it is ready, failing at once if it exits instead.
func startForeground(t *testing.T, ws, provider string) *foreground {
	t.Helper()
	cmd := exec.Command(binary, "--env", provider, "env", "up", "--foreground", "--postgres-servers", "1")
	cmd.Dir = ws
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	fg := &foreground{cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(fg.exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-fg.exited })
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		select {
		case <-fg.exited:
			t.Fatalf("env up exited before it was ready:\n%s", out.String())
		case <-deadline:
			t.Fatalf("env up did not become ready:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fg
}
