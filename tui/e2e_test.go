package tui

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/progress"
)

// checkTimeout bounds one check in the end-to-end test: the first one
// loads the fixture into a template database, which takes a while on a
// loaded 2-core machine.
const checkTimeout = 4 * time.Minute

// The path the issue promises: a learner opens lesson 1, checks the stub
// (it fails, and the plan shows the Seq Scan), fixes the file in an editor,
// the lab checks it again by itself and it passes, and the lessons screen
// says so. It runs the real binary against real servers, chosen the way
// dblings chooses them (DBLINGS_ENV, DBLINGS_PG_IMAGE, … pass through).
func TestEndToEndLessonOne(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts servers and runs real checks")
	}
	bin := buildBinary(t)
	ws := copyWorkspace(t)
	lesson := testenv.Catalog(t)[0]
	exercise := filepath.Join(ws, filepath.FromSlash(lesson.ExercisePath()))
	stub, err := fs.ReadFile(testenv.Source(), lesson.ExercisePath())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exercise, stub, 0o644); err != nil {
		t.Fatal(err)
	}

	term := startTerminal(t, ws, false, bin, "--workspace", ws)
	term.waitFor(10*time.Second, "dblings › Lessons", "› 01  "+lesson.Title[:20], "not tried")
	term.waitFor(3*time.Minute, "· ready")
	pid := term.pid()
	servers := descendants(pid)
	if len(servers) == 0 && len(containersOf(pid)) == 0 && os.Getenv("DBLINGS_ENV") != "external" {
		t.Fatal("the lab runs neither server processes nor containers of its own: nothing to see stopped")
	}

	term.keys("Enter")
	term.waitFor(10*time.Second, "Edit "+lesson.ExercisePath())

	term.keys("c")
	failed := term.waitFor(checkTimeout, "✗ failed", "✗ no Seq Scan on posts", "Plan before")
	if !regexp.MustCompile(`▲ (Parallel )?Seq Scan on posts`).MatchString(failed) {
		t.Errorf("the failed check does not show the Seq Scan in its plan:\n%s", failed)
	}

	// The learner saves the reference solution over the stub, as an editor
	// in another pane would.
	solution, err := os.ReadFile(filepath.Join(repoRoot(t), "solutions", lesson.Dir, lesson.File))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exercise, solution, 0o644); err != nil {
		t.Fatal(err)
	}
	term.waitFor(checkTimeout, "✓ passed", "after you saved "+lesson.File)

	term.keys("Escape")
	term.waitFor(10*time.Second, "Edit "+lesson.ExercisePath(), "✓ passed")
	term.keys("Escape")
	list := term.waitFor(10*time.Second, "dblings › Lessons")
	if !regexp.MustCompile(`01  EXPLAIN: flip a Seq.*✓ passed`).MatchString(list) || !regexp.MustCompile(`1 of \d+ passed`).MatchString(list) {
		t.Errorf("the lessons screen does not show lesson 1 passed:\n%s", list)
	}

	term.keys("q")
	if status := term.exitStatus(time.Minute); status != 0 {
		t.Errorf("dblings exited with status %d after q", status)
	}
	for _, p := range servers {
		if running(p) {
			t.Errorf("process %d, started by the lab, still runs after it quit", p)
		}
	}
	if ids := containersOf(pid); len(ids) > 0 {
		t.Errorf("containers started by the lab still run after it quit: %v", ids)
	}
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Lesson(lesson.ID).Status; got != progress.Passed {
		t.Errorf("after quitting, the progress file says %q, want passed", got)
	}
}

// Quitting the lab leaves servers kept by "dblings env up" running: they
// belong to the learner, who stops them with "dblings env down".
func TestEndToEndKeepsEnvUp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts servers")
	}
	bin := buildBinary(t)
	ws := copyWorkspace(t)
	dblings := func(args ...string) error {
		cmd := exec.Command(bin, append(args, "--workspace", ws)...)
		cmd.Dir = ws
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("dblings %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := dblings("env", "up", "--postgres-servers", "1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dblings("env", "down") })

	term := startTerminal(t, ws, false, bin, "--workspace", ws)
	term.waitFor(time.Minute, "dblings › Lessons", "· ready")
	term.keys("q")
	if status := term.exitStatus(time.Minute); status != 0 {
		t.Errorf("dblings exited with status %d after q", status)
	}
	if err := dblings("env", "status"); err != nil {
		t.Errorf("the kept environment is gone after quitting the lab: %v", err)
	}
}
