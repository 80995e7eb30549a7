package progress_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
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
		func() error { return p.RecordRun("explain-index", true, at) },
		func() error { return p.RecordRun("explain-index", false, at.Add(time.Hour)) },
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
		if err := p.RecordRun("explain-index", i%2 == 0, at); err != nil {
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
	if len(entries) != 1 {
		t.Errorf("the state folder holds %d files, want only %s", len(entries), progress.File)
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
			if err := p.RecordRun("explain-index", true, at); err != nil {
				t.Fatalf("a recovered progress must be writable: %v", err)
			}
		})
	}
}
