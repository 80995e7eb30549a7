package workspace_test

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/workspace"
)

// catchUpSource has a solution for every lesson of catalog().
var catchUpSource = fstest.MapFS{
	"exercises/01-a/a.go": {Data: []byte("stub a\n")},
	"solutions/01-a/a.go": {Data: []byte("solution a\n")},
	"exercises/02-b/b.go": {Data: []byte("stub b\n")},
	"solutions/02-b/b.go": {Data: []byte("solution b\n")},
	"exercises/03-c/c.go": {Data: []byte("stub c\n")},
	"solutions/03-c/c.go": {Data: []byte("solution c\n")},
}

// openCatchUp is a workspace where the learner wrote a.go, passed b with
// their own b.go, and has c's stub.
func openCatchUp(t *testing.T) *workspace.Workspace {
	t.Helper()
	root := t.TempDir()
	write(t, filepath.Join(root, "go.mod"), "module example.com/ws\n")
	write(t, filepath.Join(root, "exercises", "01-a", "a.go"), "mine a\n")
	write(t, filepath.Join(root, "exercises", "02-b", "b.go"), "mine b\n")
	write(t, filepath.Join(root, "exercises", "03-c", "c.go"), "stub c\n")
	w, err := workspace.Open(root, catalog(), catchUpSource)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.RecordRun(w.Catalog()[1], true, at); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestCatchUpLaysWhatIsNotPassedAndKeepsTheRest(t *testing.T) {
	w := openCatchUp(t)
	c := w.Catalog()
	plan, err := w.PlanCatchUp(c[2])
	if err != nil {
		t.Fatal(err)
	}
	if plan.Pending() != 1 || len(plan.Overwrites()) != 1 || plan.Overwrites()[0].Path != "exercises/01-a/a.go" {
		t.Fatalf("plan %+v: want a.go laid and passed b left alone", plan)
	}
	done, err := w.CatchUp(plan, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Written.Backup == "" {
		t.Fatalf("done %+v, want a laid with a backup", done)
	}
	root := w.Root()
	for path, want := range map[string]string{
		"exercises/01-a/a.go":            "solution a\n",
		"exercises/02-b/b.go":            "mine b\n",
		"exercises/03-c/c.go":            "stub c\n",
		done[0].Written.Backup + "/a.go": "mine a\n",
	} {
		if got := read(t, filepath.Join(root, filepath.FromSlash(path))); got != want {
			t.Errorf("%s holds %q, want %q", path, got, want)
		}
	}
	again, err := workspace.Open(root, catalog(), catchUpSource)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]progress.Status{"a": progress.CaughtUp, "b": progress.Passed, "c": progress.NotTried}
	for _, l := range c {
		if got := again.Progress(l).Status; got != statuses[l.ID] {
			t.Errorf("%s is %q, want %q", l.ID, got, statuses[l.ID])
		}
	}
	if again.Current().ID != "c" {
		t.Errorf("current %s, want c", again.Current().ID)
	}
}

// TestACaughtUpLessonStaysCaughtUpUntilTheLearnerMakesItTheirs: grading a
// caught-up lesson passes on the reference solution, which is not the
// learner's pass; once they change the file, its verdicts are theirs.
func TestACaughtUpLessonStaysCaughtUpUntilTheLearnerMakesItTheirs(t *testing.T) {
	w := openCatchUp(t)
	c := w.Catalog()
	plan, err := w.PlanCatchUp(c[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.CatchUp(plan, at); err != nil {
		t.Fatal(err)
	}
	a := c[0]
	if err := w.RecordRun(a, true, at); err != nil {
		t.Fatal(err)
	}
	if got := w.Progress(a).Status; got != progress.CaughtUp {
		t.Fatalf("after a pass of the laid solution: %q, want caught up", got)
	}
	write(t, filepath.Join(w.Root(), "exercises", "01-a", "a.go"), "solution a, my way\n")
	if err := w.RecordRun(a, true, at); err != nil {
		t.Fatal(err)
	}
	if got := w.Progress(a).Status; got != progress.Passed {
		t.Errorf("after a pass of the learner's own version: %q, want passed", got)
	}
}

func TestCatchUpToTheFirstLessonHasNothingToDo(t *testing.T) {
	w := openCatchUp(t)
	plan, err := w.PlanCatchUp(w.Catalog()[0])
	if err != nil || plan.Pending() != 0 || len(plan.Steps) != 0 {
		t.Errorf("plan %+v, %v; want nothing", plan, err)
	}
}
