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

	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
)

// prepareLimit bounds a prepare: every lesson's check compiled and run
// once, on a loaded 2-core machine, from a cold build cache.
const prepareLimit = 20 * time.Minute

// allReady is what prepare says when every lesson of the catalog is ready.
func allReady() string {
	return fmt.Sprintf("Ready: %d of %d lessons start offline.", len(catalog), len(catalog))
}

// TestPrepareCheckChangesNothingAndFailsWhenOffline: --check reads, and a
// lesson whose modules cannot be had offline makes it fail, by name.
func TestPrepareCheckChangesNothingAndFailsWhenOffline(t *testing.T) {
	testenv.RequireLocal(t)
	ws := checkout(t)
	got := run(t, ws, "--env", "local", "prepare", "--check")
	if want := allReady(); got.code != cli.ExitOK || !strings.Contains(got.stdout, want) {
		t.Fatalf("exit %d, want 0 and %q\n%s%s", got.code, want, got.stdout, got.stderr)
	}
	if _, err := os.Stat(filepath.Join(ws, ".dblings")); err == nil {
		t.Error("prepare --check wrote .dblings/")
	}

	// A machine that never downloaded the modules: an empty module cache.
	t.Setenv("GOMODCACHE", t.TempDir())
	offline := run(t, ws, "--env", "local", "prepare", "--check")
	if offline.code != cli.ExitFailed || !strings.Contains(offline.stdout, "✗ "+first.ID+": cannot compile offline") || !strings.Contains(offline.stderr, "not ready") {
		t.Errorf("with a module missing: exit %d\n%s%s", offline.code, offline.stdout, offline.stderr)
	}
}

// TestPrepareLocal: prepare readies the lessons of
// a workshop, then prepare --check passes for them, and the first check of
// a lesson after it is timed against the cold-start target (6 s local, 8 s
// docker, on a quiet machine; logged, since a loaded CI machine misses
// it). The workshop is two lessons, one on Postgres alone and one on Redis
// too: the whole catalog is what every lesson's answers already run.
func TestPrepareLocal(t *testing.T) {
	testenv.RequireLocal(t)
	// It waits on servers more than it computes, and judges no timed
	// answer: it runs beside the package's other such test (t.Parallel),
	// once the short ones are done. The tests whose reference solutions
	// are timed (grade across seeds, verify) run alone.
	t.Parallel()
	testPrepare(t, sandbox.Local, 6*time.Second)
}

// TestPrepareDocker is TestPrepareLocal on containers, and --check finds
// the images that make test runs on.
func TestPrepareDocker(t *testing.T) {
	testenv.RequireDocker(t)
	t.Parallel()
	testPrepare(t, sandbox.Docker, 8*time.Second)
}

func testPrepare(t *testing.T, provider sandbox.Provider, target time.Duration) {
	ws := checkout(t)
	env := []string{"--env", string(provider)}
	workshop := []string{first.ID, "cache-aside"}
	if got := run(t, ws, append(env, "prepare", first.ID, "no-such-lesson")...); got.code != cli.ExitUsage || !strings.Contains(got.stderr, `no lesson "no-such-lesson" to prepare`) {
		t.Fatalf("prepare of an unknown lesson: exit %d, want %d and its name\n%s%s", got.code, cli.ExitUsage, got.stdout, got.stderr)
	}
	start := time.Now()
	got := runFor(t, prepareLimit, ws, append(append(env, "prepare"), workshop...)...)
	t.Logf("prepare (%s) took %s:\n%s", provider, time.Since(start).Round(time.Second), got.stdout)
	if want := "Ready: 2 of 2 lessons start offline."; got.code != cli.ExitOK || !strings.Contains(got.stdout, want) {
		t.Fatalf("prepare: exit %d, want 0 and %q\n%s%s", got.code, want, got.stdout, got.stderr)
	}
	if other := "✓ " + catalog[len(catalog)-1].ID; strings.Contains(got.stdout, other) {
		t.Errorf("prepare of %v prepared a lesson not named:\n%s", workshop, got.stdout)
	}
	again := run(t, ws, append(append(env, "prepare", "--check"), workshop...)...)
	if again.code != cli.ExitOK || strings.Contains(again.stdout, "to compile") || !strings.Contains(again.stdout, "Ready: 2 of 2") {
		t.Fatalf("prepare --check after prepare: exit %d, want both checks compiled\n%s%s", again.code, again.stdout, again.stderr)
	}
	if provider == sandbox.Docker && (strings.Contains(again.stdout, "not pulled") || !strings.Contains(again.stdout, "✓ server images")) {
		t.Errorf("prepare --check on docker does not find the images:\n%s", again.stdout)
	}
	if _, err := os.Stat(filepath.Join(ws, ".dblings", "state.json")); err == nil {
		t.Error("prepare recorded progress")
	}

	lay(t, ws, first, "")
	start = time.Now()
	check := run(t, ws, append(env, "check", first.ID)...)
	took := time.Since(start)
	t.Logf("first check of %s after prepare (%s, fresh servers): %s; target %s", first.ID, provider, took.Round(100*time.Millisecond), target)
	if check.code != cli.ExitOK {
		t.Fatalf("check: exit %d\n%s%s", check.code, check.stdout, check.stderr)
	}
}

// runFor is run with a time limit of its own, for the commands that check
// every lesson.
func runFor(t testing.TB, limit time.Duration, ws string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = ws
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("dblings %v did not finish within %s\n%s", args, limit, errb.String())
	}
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}
