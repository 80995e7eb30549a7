package cli_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
)

// These tests run the commands in-process, as Main runs them, on a
// workspace holding lesson 1's stub.

type outcome struct {
	code        int
	out, errOut string
}

func dblings(t *testing.T, ws string, in *string, args ...string) outcome {
	t.Helper()
	var out, errOut bytes.Buffer
	io := cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut}
	if in != nil {
		io.In, io.Interactive = strings.NewReader(*in), true
	}
	code := cli.Main(append([]string{"--workspace", ws}, args...), io, testenv.Source())
	return outcome{code, out.String(), errOut.String()}
}

func answer(s string) *string { return &s }

// catalog is the repository's curriculum; first and second its first lessons.
var (
	catalog = func() lessons.Catalog {
		c, err := lessons.Load(os.DirFS(filepath.Join(testenv.Root(), "lessons")))
		if err != nil {
			panic(err)
		}
		return c
	}()
	first, second = catalog[0], catalog[1]
)

func stubPath(ws string) string { return filepath.Join(ws, filepath.FromSlash(first.ExercisePath())) }

func pristineStub(t *testing.T) []byte {
	t.Helper()
	data, err := fs.ReadFile(testenv.Source(), first.ExercisePath())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// lessonWorkspace is a checkout whose lesson-1 stub the learner has edited.
func lessonWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	mustWrite(t, filepath.Join(ws, "go.mod"), "module github.com/dblings/dblings\n")
	mustWrite(t, stubPath(ws), "package explainindex\n\n// my work\n")
	return ws
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestUnknownLessonIsAUsageErrorListingTheLessons(t *testing.T) {
	ws := lessonWorkspace(t)
	for _, args := range [][]string{
		{"check", "explain-indx"},
		{"hint", "explain-indx"},
		{"reset", "--yes", "explain-indx"},
		{"solution", "explain-indx"},
		{"grade", "explain-index", "explain-indx"},
	} {
		t.Run(args[0], func(t *testing.T) {
			got := dblings(t, ws, nil, args...)
			if got.code != cli.ExitUsage {
				t.Errorf("exit %d, want %d", got.code, cli.ExitUsage)
			}
			if !strings.Contains(got.errOut, `no lesson "explain-indx"`) || !strings.Contains(got.errOut, strings.Join(catalog.IDs(), ", ")) {
				t.Errorf("stderr = %q, want the unknown id and the list of lessons", got.errOut)
			}
		})
	}
}

func TestMissingOrExtraLessonArgumentIsAUsageError(t *testing.T) {
	ws := lessonWorkspace(t)
	for _, args := range [][]string{{"reset"}, {"solution"}, {"check", "a", "b"}} {
		got := dblings(t, ws, nil, args...)
		if got.code != cli.ExitUsage || !strings.Contains(got.errOut, first.ID) {
			t.Errorf("dblings %v: exit %d, stderr %q; want 2 and the lesson ids", args, got.code, got.errOut)
		}
	}
}

func TestBadFlagValuesAreUsageErrors(t *testing.T) {
	ws := lessonWorkspace(t)
	for _, args := range [][]string{
		{"check", "--format", "xml", first.ID},
		{"grade", "--format", "yaml"},
		{"grade", "--seed", "-1"},
		{"grade", "--seed", "many"},
		{"check", "--timeout", "0s", first.ID},
		{"check", "--timeout", "1ns", first.ID},
		{"verify", "--scale", "0.1"}, // --scale is gone: checks are written for their data
	} {
		got := dblings(t, ws, nil, args...)
		if got.code != cli.ExitUsage {
			t.Errorf("dblings %v: exit %d (%s), want 2", args, got.code, got.errOut)
		}
	}
}

func TestResetWithoutATerminalNeedsYes(t *testing.T) {
	ws := lessonWorkspace(t)
	got := dblings(t, ws, nil, "reset", first.ID)
	if got.code != cli.ExitUsage || !strings.Contains(got.errOut, "--yes") {
		t.Errorf("exit %d, stderr %q; want 2 and a word about --yes", got.code, got.errOut)
	}
	if readFile(t, stubPath(ws)) != "package explainindex\n\n// my work\n" {
		t.Error("the learner's file was changed without confirmation")
	}
}

func TestResetAsksAndKeepsABackup(t *testing.T) {
	tests := []struct {
		name     string
		in       *string
		args     []string
		reset    bool
		inOutput string
	}{
		{"answer no", answer("n\n"), nil, false, "Nothing was changed"},
		{"answer nothing", answer(""), nil, false, ""},
		{"answer yes", answer("y\n"), nil, true, "Reset " + first.ExercisePath()},
		{"--yes without a terminal", nil, []string{"--yes"}, true, "Reset " + first.ExercisePath()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := lessonWorkspace(t)
			got := dblings(t, ws, tt.in, append([]string{"reset", first.ID}, tt.args...)...)
			if !strings.Contains(got.out, tt.inOutput) {
				t.Errorf("stdout %q, want %q", got.out, tt.inOutput)
			}
			content := readFile(t, stubPath(ws))
			if !tt.reset {
				if content != "package explainindex\n\n// my work\n" {
					t.Error("the file changed without a yes")
				}
				return
			}
			if got.code != 0 || content != string(pristineStub(t)) {
				t.Fatalf("exit %d, %s; want the pristine stub", got.code, got.errOut)
			}
			backups, _ := filepath.Glob(filepath.Join(ws, ".dblings", "backup", first.ID+"-*", first.File))
			if len(backups) != 1 || readFile(t, backups[0]) != "package explainindex\n\n// my work\n" {
				t.Errorf("backups = %v, want one copy of the learner's version", backups)
			}
			again := dblings(t, ws, nil, "reset", first.ID)
			if again.code != 0 || !strings.Contains(again.out, "nothing to reset") {
				t.Errorf("a second reset: exit %d, %q; want nothing to do", again.code, again.out)
			}
		})
	}
}

func TestSolutionOpensAfterAPass(t *testing.T) {
	ws := lessonWorkspace(t)
	got := dblings(t, ws, nil, "solution", first.ID)
	if got.code != cli.ExitFailed || !strings.Contains(got.errOut, "--force") || got.out != "" {
		t.Errorf("before a pass: exit %d, stdout %q, stderr %q; want a refusal mentioning --force", got.code, got.out, got.errOut)
	}
	solution, err := fs.ReadFile(testenv.Source(), first.SolutionPath())
	if err != nil {
		t.Fatal(err)
	}
	forced := dblings(t, ws, nil, "solution", "--force", first.ID)
	if forced.code != 0 || !strings.Contains(forced.out, string(solution)) {
		t.Errorf("--force: exit %d, %s", forced.code, forced.errOut)
	}

	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RecordRun(first.ID, true, time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	if err := p.RecordRun(first.ID, false, time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	after := dblings(t, ws, nil, "solution", first.ID)
	if after.code != 0 || !strings.Contains(after.out, string(solution)) {
		t.Errorf("after a pass (then a failed run): exit %d, %s", after.code, after.errOut)
	}
}

func TestHintShowsTheNextOneEachTime(t *testing.T) {
	ws := lessonWorkspace(t)
	hints := first.Hints()
	if len(hints) == 0 {
		t.Skip("lesson 1 has no hints yet")
	}
	for i := range hints {
		got := dblings(t, ws, nil, "hint", first.ID)
		want := "Hint " + string(rune('1'+i)) + " of "
		if got.code != 0 || !strings.Contains(got.out, want) || !strings.Contains(got.out, hints[i]) {
			t.Fatalf("call %d: exit %d, %q; want %q and the hint", i+1, got.code, got.out, want)
		}
	}
	got := dblings(t, ws, nil, "hint", first.ID)
	if got.code != 0 || !strings.Contains(got.out, "no more hints") {
		t.Errorf("after the last hint: %q, want a note that there are no more", got.out)
	}
}

func TestListShowsStatuses(t *testing.T) {
	ws := lessonWorkspace(t)
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := p.RecordRun(first.ID, false, now, ""); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{now.Add(-70 * time.Minute), now.Add(-65 * time.Minute), now.Add(-59 * time.Minute)} {
		if err := p.RecordActivity(first.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.RecordActivity(second.ID, now.Add(-20*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := p.RecordActivity(second.ID, now); err != nil {
		t.Fatal(err)
	}
	got := dblings(t, ws, nil, "list")
	if got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.errOut)
	}
	for _, l := range catalog {
		if !strings.Contains(got.out, l.ID) || !strings.Contains(got.out, l.Title) {
			t.Errorf("list lacks %s: %q", l.ID, got.out)
		}
	}
	rows := strings.Split(got.out, "\n")
	if !strings.Contains(rows[0], "TIME SPENT") {
		t.Errorf("list's header = %q, want a TIME SPENT column", rows[0])
	}
	if !strings.HasPrefix(rows[1], "→ "+first.ID) || !strings.Contains(rows[1], "failed") || !strings.Contains(rows[1], " 11 min ") {
		t.Errorf("list's first row = %q, want %s marked current, failed, 11 min spent", rows[1], first.ID)
	}
	if !strings.Contains(rows[2], "< 1 min") {
		t.Errorf("list's second row = %q, want < 1 min spent", rows[2])
	}
	if strings.Contains(rows[3], "min") {
		t.Errorf("list's third row = %q, want no time spent", rows[3])
	}
}

// TestListCountsHintsFromTheShell: a learner who works in their own
// editor and asks for hints from a shell gets the time counted.
func TestListCountsHintsFromTheShell(t *testing.T) {
	ws := lessonWorkspace(t)
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RecordActivity(first.ID, time.Now().Add(-3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := dblings(t, ws, nil, "hint", first.ID); got.code != 0 {
		t.Fatalf("hint: exit %d: %s", got.code, got.errOut)
	}
	if err := p.Refresh(); err != nil {
		t.Fatal(err)
	}
	if got := p.Lesson(first.ID).Spent; got < 3*time.Minute || got > 3*time.Minute+5*time.Second {
		t.Errorf("a hint 3 min after the last activity counts %v in all, want 3m", got)
	}
}

func TestCorruptProgressIsAWarning(t *testing.T) {
	ws := lessonWorkspace(t)
	mustWrite(t, filepath.Join(ws, ".dblings", "state.json"), "{broken")
	got := dblings(t, ws, nil, "list")
	if got.code != 0 || !strings.Contains(got.errOut, "warning") || !strings.Contains(got.errOut, "state.json.corrupt-") {
		t.Errorf("exit %d, stderr %q; want a warning naming where the old file went", got.code, got.errOut)
	}
}

// TestAPassMovesTheLearnerOn: after lesson 1 passes, the commands without
// a lesson id work on lesson 2, as the lab opens it (see tui's
// TestLabAndCommandsAgreeOnTheCurrentLesson).
func TestAPassMovesTheLearnerOn(t *testing.T) {
	ws := lessonWorkspace(t)
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RecordRun(first.ID, true, time.Now(), second.ID); err != nil {
		t.Fatal(err)
	}
	got := dblings(t, ws, nil, "hint")
	if got.code != 0 || !strings.Contains(got.out, "for "+second.ID) {
		t.Errorf("hint after a pass: exit %d, %q; want a hint of %s", got.code, got.out, second.ID)
	}
	list := dblings(t, ws, nil, "list")
	if !strings.Contains(list.out, "→ "+second.ID) {
		t.Errorf("list after a pass = %q, want %s marked current", list.out, second.ID)
	}
}

// TestBadWorkspaceIsAUsageErrorAndCreatesNothing: a --workspace that does
// not exist or is no dblings checkout is refused before anything is written.
func TestBadWorkspaceIsAUsageErrorAndCreatesNothing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexistent")
	notOne := t.TempDir()
	for _, ws := range []string{missing, notOne} {
		for _, args := range [][]string{{"hint"}, {"reset", "--yes", first.ID}, {"check"}, {"list"}} {
			got := dblings(t, ws, nil, args...)
			if got.code != cli.ExitUsage || !strings.Contains(got.errOut, "is not a dblings workspace") {
				t.Errorf("dblings --workspace %s %v: exit %d, stderr %q; want 2 and why", ws, args, got.code, got.errOut)
			}
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%s was created", missing)
		}
		if entries, _ := os.ReadDir(notOne); len(entries) > 0 {
			t.Fatalf("files were created in %s: %v", notOne, entries)
		}
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	got := dblings(t, lessonWorkspace(t), nil, "chekc")
	if got.code != cli.ExitUsage || !strings.Contains(got.errOut, `unknown command "chekc"`) {
		t.Errorf("exit %d, stderr %q; want 2 and the unknown command", got.code, got.errOut)
	}
}

func TestCheckOfADeletedExerciseSaysHowToGetItBack(t *testing.T) {
	ws := lessonWorkspace(t)
	if err := os.Remove(stubPath(ws)); err != nil {
		t.Fatal(err)
	}
	got := dblings(t, ws, nil, "check", first.ID)
	if got.code != cli.ExitFailed || !strings.Contains(got.errOut, first.ExercisePath()+" is missing") || !strings.Contains(got.errOut, "dblings reset "+first.ID) {
		t.Errorf("exit %d, stderr %q; want the missing file and `dblings reset`", got.code, got.errOut)
	}
}
