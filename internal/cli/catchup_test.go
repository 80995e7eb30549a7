package cli_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/progress"
)

// third is the lesson the catch-up tests join at.
var third = catalog[2]

func TestCatchUpAsksFirst(t *testing.T) {
	tests := []struct {
		name    string
		in      *string
		args    []string
		code    int
		laid    bool
		message string // on stdout, or stderr for a refusal
	}{
		{"no terminal, no --yes", nil, nil, cli.ExitUsage, false, "--yes"},
		{"answer no", answer("n\n"), nil, cli.ExitOK, false, "Nothing was changed"},
		{"answer nothing", answer(""), nil, cli.ExitUsage, false, "no answer"},
		{"answer yes", answer("y\n"), nil, cli.ExitOK, true, "You are on " + third.ID},
		{"--yes without a terminal", nil, []string{"--yes"}, cli.ExitOK, true, "You are on " + third.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := lessonWorkspace(t)
			got := dblings(t, ws, tt.in, append([]string{"catch-up", third.ID}, tt.args...)...)
			if got.code != tt.code || !strings.Contains(got.out+got.errOut, tt.message) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and %q", got.code, got.out, got.errOut, tt.code, tt.message)
			}
			mine := readFile(t, stubPath(ws)) == "package explainindex\n\n// my work\n"
			if mine == tt.laid {
				t.Fatalf("lesson 1's file is the learner's: %v; want laid: %v", mine, tt.laid)
			}
			if !tt.laid {
				if _, err := os.Stat(filepath.Join(ws, ".dblings")); err == nil {
					t.Error("a refused catch-up wrote .dblings/")
				}
				return
			}
			assertCaughtUp(t, ws)
		})
	}
}

// assertCaughtUp: lessons 1 and 2 hold their reference solutions and are
// caught up, lesson 1's own version is in the backup, the learner is on
// lesson 3, and list says so.
func assertCaughtUp(t *testing.T, ws string) {
	t.Helper()
	for _, l := range catalog[:2] {
		want, err := fs.ReadFile(testenv.Source(), l.SolutionPath())
		if err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(ws, filepath.FromSlash(l.ExercisePath()))); got != string(want) {
			t.Errorf("%s does not hold the reference solution", l.ExercisePath())
		}
	}
	backups, _ := filepath.Glob(filepath.Join(ws, ".dblings", "backup", first.ID+"-*", first.File))
	if len(backups) != 1 || readFile(t, backups[0]) != "package explainindex\n\n// my work\n" {
		t.Errorf("backups %v, want one copy of the learner's lesson 1", backups)
	}
	list := dblings(t, ws, nil, "list")
	for _, l := range catalog[:2] {
		if !lineHas(list.out, l.ID, "caught up") {
			t.Errorf("list does not show %s caught up:\n%s", l.ID, list.out)
		}
	}
	if !strings.Contains(list.out, "→ "+third.ID) {
		t.Errorf("list does not put the learner on %s:\n%s", third.ID, list.out)
	}
}

// lineHas reports whether a line of text holds every one of words.
func lineHas(text string, words ...string) bool {
	for _, line := range strings.Split(text, "\n") {
		all := true
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all {
			return true
		}
	}
	return false
}

func TestCatchUpLeavesPassedLessonsAndRepeatsSafely(t *testing.T) {
	ws := lessonWorkspace(t)
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RecordRun(first.ID, true, time.Now(), second.ID); err != nil {
		t.Fatal(err)
	}
	got := dblings(t, ws, nil, "catch-up", "--yes", third.ID)
	if got.code != 0 || !lineHas(got.out, first.ID, "passed, left as it is") || !lineHas(got.out, second.ID, "caught up") {
		t.Fatalf("exit %d, %q %q", got.code, got.out, got.errOut)
	}
	if readFile(t, stubPath(ws)) != "package explainindex\n\n// my work\n" {
		t.Error("catch-up overwrote a lesson the learner had passed")
	}
	again := dblings(t, ws, nil, "catch-up", third.ID)
	if again.code != 0 || !strings.Contains(again.out, "Nothing to catch up") {
		t.Errorf("a second catch-up: exit %d, %q %q; want nothing to do, without asking", again.code, again.out, again.errOut)
	}
}

func TestCatchUpUsageErrors(t *testing.T) {
	ws := lessonWorkspace(t)
	for _, args := range [][]string{{"catch-up"}, {"catch-up", "--yes", "nope"}, {"catch-up", "--yes", first.ID, second.ID}} {
		got := dblings(t, ws, nil, args...)
		if got.code != cli.ExitUsage || !strings.Contains(got.errOut, first.ID) {
			t.Errorf("dblings %v: exit %d, stderr %q; want 2 and the lesson ids", args, got.code, got.errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(ws, ".dblings")); err == nil {
		t.Error("a refused catch-up wrote .dblings/")
	}
}
