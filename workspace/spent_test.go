package workspace_test

import (
	"testing"
	"time"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

// TestWhatCountsAsTimeSpent: visiting a lesson, a check of it and a hint
// are each an activity on it, so a learner who works in their own editor
// and checks from a shell gets time counted; a grade of every lesson at
// once is not.
func TestWhatCountsAsTimeSpent(t *testing.T) {
	tests := []struct {
		name string
		then func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error
		want time.Duration
	}{
		{"a visit", func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error { return w.Visit(l, at) }, 4 * time.Minute},
		{"a check that failed", func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error { return w.RecordRun(l, false, at) }, 4 * time.Minute},
		{"a check that passed", func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error { return w.RecordRun(l, true, at) }, 4 * time.Minute},
		{"a hint", func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error {
			_, err := w.NextHint(l, []string{"one"}, at)
			return err
		}, 4 * time.Minute},
		{"a heartbeat", func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error { return w.RecordActivity(l, at) }, 4 * time.Minute},
		{"a verdict of grade", func(w *workspace.Workspace, l lessons.Lesson, at time.Time) error {
			return w.RecordVerdict(l, false, at)
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := open(t)
			a := w.Catalog()[0]
			if err := w.RecordRun(a, false, at); err != nil { // the first activity
				t.Fatal(err)
			}
			if got := w.Progress(a).Spent; got != 0 {
				t.Fatalf("one activity counts %v, want nothing yet", got)
			}
			if err := tt.then(w, a, at.Add(4*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if got := w.Progress(a).Spent; got != tt.want {
				t.Errorf("spent %v, want %v", got, tt.want)
			}
			if got := w.Progress(w.Catalog()[1]).Spent; got != 0 {
				t.Errorf("lesson b got %v", got)
			}
		})
	}
}

// TestCheckingFromAShellAddsUp: checks 5 minutes apart add up; one after a
// long break adds nothing.
func TestCheckingFromAShellAddsUp(t *testing.T) {
	w := open(t)
	a := w.Catalog()[0]
	for _, d := range []time.Duration{0, 5 * time.Minute, 10 * time.Minute, 2 * time.Hour, 2*time.Hour + 3*time.Minute} {
		if err := w.RecordRun(a, false, at.Add(d)); err != nil {
			t.Fatal(err)
		}
	}
	if got := w.Progress(a).Spent; got != 13*time.Minute {
		t.Errorf("spent %v, want 13m: 5 + 5 + 3, the two-hour break left out", got)
	}
}
