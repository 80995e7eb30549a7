package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

// TestListTimeCountsChecksButNotGrades: a check finishing is an activity
// on its lesson, so `dblings check` from a shell adds to the time spent;
// grade runs every lesson at once, which is no time spent on each.
func TestListTimeCountsChecksButNotGrades(t *testing.T) {
	catalog := lessons.Catalog{{ID: "a", Dir: "01-a", File: "a.go"}}
	started := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	result := func(at time.Time) *run.Result {
		return &run.Result{Lesson: catalog[0], Verdict: run.Failed, Mode: run.Learner, Started: at,
			Timings: run.Timings{Compile: 2 * time.Second, Run: 3 * time.Second}}
	}
	for _, tc := range []struct {
		name   string
		active bool
		want   time.Duration
	}{{"check", true, 4 * time.Minute}, {"grade", false, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "exercises"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/ws\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			ws, err := workspace.Open(root, catalog, fstest.MapFS{})
			if err != nil {
				t.Fatal(err)
			}
			var errOut bytes.Buffer
			f := &Factory{IO: IO{Err: &errOut}}
			for _, at := range []time.Time{started, started.Add(4 * time.Minute)} {
				recordRuns(f, ws, []*run.Result{result(at)}, tc.active)
			}
			if errOut.Len() > 0 {
				t.Fatal(errOut.String())
			}
			if got := ws.Progress(catalog[0]); got.Spent != tc.want || got.Status != "failed" {
				t.Errorf("two %ss 4 min apart: %+v, want failed and %v spent", tc.name, got, tc.want)
			}
		})
	}
}
