package progress_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dblings/dblings/progress"
)

var at = time.Date(2026, 11, 21, 9, 12, 44, 0, time.UTC)

func statePath(root string) string { return filepath.Join(root, progress.Dir, progress.File) }

func TestFreshWorkspaceHasNothingTried(t *testing.T) {
	p, err := progress.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Lesson("explain-index"); got.Status != progress.NotTried || got.Solved() {
		t.Errorf("lesson = %+v, want not tried", got)
	}
}

func TestRunsHintsAndCurrentSurviveReopening(t *testing.T) {
	root := t.TempDir()
	p, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { return p.RecordRun("explain-index", true, at, "") },
		func() error { return p.RecordRun("explain-index", false, at.Add(time.Hour), "") },
		func() error { _, _, err := p.NextHint("cache-aside", 3); return err },
		func() error { return p.SetCurrent("cache-aside") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	again, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	l := again.Lesson("explain-index")
	if l.Status != progress.Failed || !l.LastRun.Equal(at.Add(time.Hour)) || !l.SolvedAt.Equal(at) {
		t.Errorf("explain-index = %+v: a failed run after a pass is failed, and stays solved", l)
	}
	if got := again.Lesson("cache-aside").HintsShown; got != 1 {
		t.Errorf("hints shown = %d, want 1", got)
	}
	if again.Current() != "cache-aside" {
		t.Errorf("current = %q", again.Current())
	}
}

func TestNextHintStopsAtTheLast(t *testing.T) {
	p, err := progress.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		index int
		ok    bool
	}{{0, true}, {1, true}, {2, true}, {2, false}, {2, false}}
	for i, want := range tests {
		index, ok, err := p.NextHint("explain-index", 3)
		if err != nil {
			t.Fatal(err)
		}
		if index != want.index || ok != want.ok {
			t.Errorf("call %d: NextHint = %d, %v; want %d, %v", i+1, index, ok, want.index, want.ok)
		}
	}
}

func TestWriteIsAtomicAndLeavesNoTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	p, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := p.RecordRun("explain-index", i%2 == 0, at, ""); err != nil {
			t.Fatal(err)
		}
		// Every version on disk is whole JSON.
		data, err := os.ReadFile(statePath(root))
		if err != nil || !json.Valid(data) {
			t.Fatalf("after write %d: %v, valid JSON %v", i, err, json.Valid(data))
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, progress.Dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != progress.File && e.Name() != "state.lock" {
			t.Errorf("the state folder holds %s; want only %s and its lock", e.Name(), progress.File)
		}
	}
}

func TestUnreadableFileIsMovedAsideWithAWarning(t *testing.T) {
	tests := []struct {
		name, content, problem string
	}{
		{"truncated JSON", `{"version": 1, "lessons": {"explain-in`, "not valid JSON"},
		{"not JSON at all", "hello", "not valid JSON"},
		{"unknown version", `{"version": 9, "lessons": {}}`, "format version 9"},
		{"unknown status", `{"version": 1, "lessons": {"explain-index": {"status": "great"}}}`, `unknown status "great"`},
		{"null", `null`, "format version 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			path := statePath(root)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := progress.Open(root)
			var rec *progress.RecoveredError
			if !errors.As(err, &rec) || p == nil {
				t.Fatalf("Open = %v, %v; want a fresh progress and a RecoveredError", p, err)
			}
			if !strings.Contains(err.Error(), tt.problem) || !strings.Contains(err.Error(), "starts afresh") {
				t.Errorf("warning = %q, want it to name %q", err, tt.problem)
			}
			kept, readErr := os.ReadFile(rec.Path)
			if readErr != nil || string(kept) != tt.content || !strings.HasPrefix(filepath.Base(rec.Path), "state.json.corrupt-") {
				t.Errorf("the old file must be kept as it was at state.json.corrupt-…: %s, %v", rec.Path, readErr)
			}
			if p.Lesson("explain-index").Status != progress.NotTried {
				t.Error("a recovered progress starts fresh")
			}
			if err := p.RecordRun("explain-index", true, at, ""); err != nil {
				t.Fatalf("a recovered progress must be writable: %v", err)
			}
		})
	}
}

func TestTwoDamagedFilesInOneSecondAreBothKept(t *testing.T) {
	root := t.TempDir()
	var kept []string
	for _, content := range []string{"first damage", "second damage"} {
		if err := os.MkdirAll(filepath.Join(root, progress.Dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(statePath(root), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := progress.Open(root)
		var rec *progress.RecoveredError
		if !errors.As(err, &rec) {
			t.Fatalf("Open = %v, want a RecoveredError", err)
		}
		kept = append(kept, rec.Path)
	}
	for i, want := range []string{"first damage", "second damage"} {
		if got, err := os.ReadFile(kept[i]); err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", kept[i], got, err, want)
		}
	}
}

// TestConcurrentWritersLoseNothing is two terminals, or a lab and a
// command line, recording at once: each Progress stands for a process.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	root := t.TempDir()
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Go(func() {
			p, err := progress.Open(root)
			if err == nil {
				err = p.RecordRun(id, true, at, "")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if p.Lesson(id).Status != progress.Passed {
			t.Errorf("the pass of %s was lost", id)
		}
	}
}

// TestAnOpenLabSeesAndKeepsAnotherProcesssPass: the lab's Progress was
// opened first; a pass recorded elsewhere must show after Refresh and
// survive the lab's next change.
func TestAnOpenLabSeesAndKeepsAnotherProcesssPass(t *testing.T) {
	root := t.TempDir()
	lab, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	cli, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.RecordRun("cache-aside", true, at, "cursor-pagination"); err != nil {
		t.Fatal(err)
	}
	if err := lab.Refresh(); err != nil {
		t.Fatal(err)
	}
	if lab.Lesson("cache-aside").Status != progress.Passed || lab.Current() != "cursor-pagination" {
		t.Fatalf("after Refresh the lab sees %+v, current %q", lab.Lesson("cache-aside"), lab.Current())
	}
	if err := lab.RecordRun("explain-index", false, at, ""); err != nil {
		t.Fatal(err)
	}
	again, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if again.Lesson("cache-aside").Status != progress.Passed {
		t.Error("the lab's change erased the pass recorded by the other process")
	}
}

// TestVersion1FilesAreReadAndSavedAsVersion2: a state file written before
// "caught up" existed keeps every pass and hint.
func TestVersion1FilesAreReadAndSavedAsVersion2(t *testing.T) {
	root := t.TempDir()
	old := `{"version": 1, "current": "cache-aside", "lessons": {"explain-index": {"status": "passed", "solved_at": "2026-11-21T08:57:02Z", "hints_shown": 2}}}`
	if err := os.MkdirAll(filepath.Dir(statePath(root)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath(root), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := progress.Open(root)
	if err != nil {
		t.Fatalf("a version 1 file must be read: %v", err)
	}
	if l := p.Lesson("explain-index"); l.Status != progress.Passed || l.HintsShown != 2 || p.Current() != "cache-aside" {
		t.Fatalf("read %+v, current %q", l, p.Current())
	}
	if err := p.SetCurrent("explain-index"); err != nil {
		t.Fatal(err)
	}
	var saved struct {
		Version int `json:"version"`
	}
	data, _ := os.ReadFile(statePath(root))
	if err := json.Unmarshal(data, &saved); err != nil || saved.Version != progress.Version {
		t.Errorf("saved version %d (%v), want %d", saved.Version, err, progress.Version)
	}
}

func TestCaughtUpIsNeitherPassedNorLost(t *testing.T) {
	tests := []struct {
		name       string
		after      func(p *progress.Progress) error
		wantStatus progress.Status
	}{
		{"marked", func(*progress.Progress) error { return nil }, progress.CaughtUp},
		{"a pass of the laid solution", func(p *progress.Progress) error {
			return p.RecordCaughtUpRun("explain-index", at.Add(time.Minute), "cache-aside")
		}, progress.CaughtUp},
		{"a pass of the learner's own code", func(p *progress.Progress) error {
			return p.RecordRun("explain-index", true, at.Add(time.Minute), "cache-aside")
		}, progress.Passed},
		{"a failed run", func(p *progress.Progress) error {
			return p.RecordRun("explain-index", false, at.Add(time.Minute), "")
		}, progress.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			p, err := progress.Open(root)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.MarkCaughtUp([]string{"explain-index"}, at, "cache-aside"); err != nil {
				t.Fatal(err)
			}
			if err := tt.after(p); err != nil {
				t.Fatal(err)
			}
			again, err := progress.Open(root)
			if err != nil {
				t.Fatal(err)
			}
			l := again.Lesson("explain-index")
			if l.Status != tt.wantStatus || !l.CaughtUpAt.Equal(at) || !l.Solved() || l.Done() != (tt.wantStatus != progress.Failed) {
				t.Errorf("lesson = %+v, want status %q, caught up at %v, solution open", l, tt.wantStatus, at)
			}
		})
	}
}
