package workspace_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

var at = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

func catalog() lessons.Catalog {
	return lessons.Catalog{
		{ID: "a", Dir: "01-a", File: "a.go"},
		{ID: "b", Dir: "02-b", File: "b.go"},
		{ID: "c", Dir: "03-c", File: "c.go"},
	}
}

var source = fstest.MapFS{
	"exercises/01-a/a.go":          {Data: []byte("stub a\n")},
	"exercises/01-a/check_test.go": {Data: []byte("check a\n")},
	"solutions/01-a/a.go":          {Data: []byte("solution a\n")},
}

// open makes a workspace folder with the learner's own version of a.go.
func open(t *testing.T) *workspace.Workspace {
	t.Helper()
	root := t.TempDir()
	write(t, filepath.Join(root, "go.mod"), "module example.com/ws\n")
	write(t, filepath.Join(root, "exercises", "01-a", "a.go"), "mine\n")
	w, err := workspace.Open(root, catalog(), source)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCurrentLesson is the one rule the command line and the lab share.
func TestCurrentLesson(t *testing.T) {
	tests := []struct {
		name  string
		steps func(w *workspace.Workspace, c lessons.Catalog) error
		want  string
	}{
		{"fresh", func(*workspace.Workspace, lessons.Catalog) error { return nil }, "a"},
		{"a failed stays on a", func(w *workspace.Workspace, c lessons.Catalog) error { return w.RecordRun(c[0], false, at) }, "a"},
		{"a passed moves on to b", func(w *workspace.Workspace, c lessons.Catalog) error { return w.RecordRun(c[0], true, at) }, "b"},
		{"c passed wraps to a", func(w *workspace.Workspace, c lessons.Catalog) error { return w.RecordRun(c[2], true, at) }, "a"},
		{"visiting a passed lesson stays there", func(w *workspace.Workspace, c lessons.Catalog) error {
			if err := w.RecordRun(c[0], true, at); err != nil {
				return err
			}
			return w.Visit(c[0], at)
		}, "a"},
		{"the last lesson left stays current after passing", func(w *workspace.Workspace, c lessons.Catalog) error {
			for _, l := range c {
				if err := w.RecordRun(l, true, at); err != nil {
					return err
				}
			}
			return nil
		}, "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := open(t)
			if err := tt.steps(w, w.Catalog()); err != nil {
				t.Fatal(err)
			}
			if got := w.Current().ID; got != tt.want {
				t.Errorf("current %s, want %s", got, tt.want)
			}
			again, err := workspace.Open(w.Root(), catalog(), source)
			if err != nil {
				t.Fatal(err)
			}
			if got := again.Current().ID; got != tt.want {
				t.Errorf("another process sees %s, want %s", got, tt.want)
			}
		})
	}
}

func TestResetBacksUpAndLeavesChecksAlone(t *testing.T) {
	w := open(t)
	a := w.Catalog()[0]
	written, err := w.Reset(a)
	if err != nil {
		t.Fatal(err)
	}
	exercise := filepath.Join(w.Root(), "exercises", "01-a", "a.go")
	if got := read(t, exercise); got != "stub a\n" {
		t.Errorf("after reset a.go holds %q", got)
	}
	if _, err := os.Stat(filepath.Join(w.Root(), "exercises", "01-a", "check_test.go")); !errors.Is(err, os.ErrNotExist) {
		t.Error("reset wrote the check file, which is never the learner's")
	}
	if written.Backup == "" || read(t, filepath.Join(w.Root(), written.Backup, "a.go")) != "mine\n" {
		t.Fatalf("backup %q does not hold the learner's version", written.Backup)
	}
	again, err := w.Reset(a)
	if err != nil || len(again.Files) != 0 || again.Backup != "" {
		t.Errorf("a second reset wrote %+v (%v); want nothing", again, err)
	}
}

func TestTwoResetsInOneSecondKeepBothBackups(t *testing.T) {
	w := open(t)
	a := w.Catalog()[0]
	var backups []string
	for _, mine := range []string{"first\n", "second\n"} {
		write(t, filepath.Join(w.Root(), "exercises", "01-a", "a.go"), mine)
		written, err := w.Reset(a)
		if err != nil {
			t.Fatal(err)
		}
		backups = append(backups, written.Backup)
	}
	if backups[0] == backups[1] || read(t, filepath.Join(w.Root(), backups[0], "a.go")) != "first\n" {
		t.Errorf("backups %v: the first version was lost", backups)
	}
}

func TestLaySolutionKeepsTheLearnersVersion(t *testing.T) {
	w := open(t)
	written, err := w.LaySolution(w.Catalog()[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(w.Root(), "exercises", "01-a", "a.go")); got != "solution a\n" {
		t.Errorf("a.go holds %q, want the solution", got)
	}
	if read(t, filepath.Join(w.Root(), written.Backup, "a.go")) != "mine\n" {
		t.Error("the learner's version was not backed up")
	}
}

func TestMissingExercise(t *testing.T) {
	w := open(t)
	b := w.Catalog()[1]
	var missing *workspace.MissingExerciseError
	if err := w.RequireExercise(b); !errors.As(err, &missing) {
		t.Fatalf("RequireExercise = %v, want a MissingExerciseError", err)
	}
	if err := w.RequireExercise(w.Catalog()[0]); err != nil {
		t.Errorf("a present exercise: %v", err)
	}
}

func TestOpenRefusesWhatIsNoWorkspace(t *testing.T) {
	plain := t.TempDir()
	for _, dir := range []string{filepath.Join(plain, "nonexistent"), plain} {
		_, err := workspace.Open(dir, catalog(), source)
		var not *workspace.NotWorkspaceError
		if !errors.As(err, &not) {
			t.Errorf("Open(%s) = %v, want a NotWorkspaceError", dir, err)
		}
	}
	if entries, _ := os.ReadDir(plain); len(entries) != 0 {
		t.Errorf("Open created %v in a folder that is no workspace", entries)
	}
}

func TestNextHintCountsAndRepeatsTheLast(t *testing.T) {
	w := open(t)
	hints := []string{"one", "two"}
	for i, want := range []workspace.Hint{
		{Text: "one", Number: 1, Total: 2},
		{Text: "two", Number: 2, Total: 2},
		{Text: "two", Number: 2, Total: 2, Repeated: true},
	} {
		got, err := w.NextHint(w.Catalog()[0], hints, at)
		if err != nil || got != want {
			t.Errorf("call %d: %+v, %v; want %+v", i+1, got, err, want)
		}
	}
}
