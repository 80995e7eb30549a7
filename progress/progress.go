// Package progress keeps a learner's progress in the workspace, in
// .dblings/state.json. It is the only code that reads or writes that file;
// the TUI and the commands go through it.
//
// The file is JSON, meant to be readable and safe to copy between machines:
//
//	{
//	  "version": 1,
//	  "current": "explain-index",
//	  "lessons": {
//	    "explain-index": {
//	      "status": "failed",
//	      "last_run": "2026-11-21T09:12:44Z",
//	      "solved_at": "2026-11-21T08:57:02Z",
//	      "hints_shown": 2
//	    }
//	  }
//	}
//
// version is the format's version (1). current is the lesson the learner is
// on. Per lesson, status is "passed" or "failed" after a check ran ("not
// tried" otherwise, and lessons never run are left out), last_run is when
// the last check finished, solved_at when it first passed (kept when a
// later run fails, so that "dblings solution" stays unlocked), and
// hints_shown counts the hints already shown.
//
// Every change is written at once and atomically (a temporary file renamed
// over the old one), so a crash never leaves half a file. A file that
// cannot be read is moved aside to state.json.corrupt-<time> and a fresh
// state begins: progress is a convenience, never a reason to stop.
package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Version is the state file format this package writes.
const Version = 1

// Dir and File locate the state inside the workspace.
const (
	Dir  = ".dblings"
	File = "state.json"
)

// Status is where a learner stands on a lesson.
type Status string

// The statuses.
const (
	NotTried Status = "not tried"
	Passed   Status = "passed"
	Failed   Status = "failed"
)

// Lesson is the progress on one lesson.
type Lesson struct {
	Status     Status    `json:"status"`
	LastRun    time.Time `json:"last_run,omitzero"`
	SolvedAt   time.Time `json:"solved_at,omitzero"`
	HintsShown int       `json:"hints_shown,omitempty"`
}

// Solved reports whether the lesson has passed at least once.
func (l Lesson) Solved() bool { return !l.SolvedAt.IsZero() }

// state is the file's content.
type state struct {
	Version int               `json:"version"`
	Current string            `json:"current,omitempty"`
	Lessons map[string]Lesson `json:"lessons"`
}

// Progress is a workspace's progress. Its methods that change something
// save at once. It is not safe for concurrent use; two processes writing
// at once lose nothing but the earlier of the two changes.
type Progress struct {
	path  string
	state state
}

// RecoveredError is returned by Open, along with a fresh Progress, when the
// state file could not be read and was moved aside. It is a warning to
// show, not a failure.
type RecoveredError struct {
	Path    string // where the unreadable file is now
	Problem error
}

func (e *RecoveredError) Error() string {
	return fmt.Sprintf("your progress file could not be read (%v); it was moved to %s and progress starts afresh", e.Problem, e.Path)
}

func (e *RecoveredError) Unwrap() error { return e.Problem }

// Open reads the progress of the workspace at root. A missing file is a
// fresh start. An unreadable one is moved aside and Open returns a fresh
// Progress with a *RecoveredError; any other error comes with a nil
// Progress.
func Open(root string) (*Progress, error) {
	p := &Progress{path: filepath.Join(root, Dir, File), state: fresh()}
	data, err := os.ReadFile(p.path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read your progress: %w", err)
	}
	if problem := decode(data, &p.state); problem != nil {
		p.state = fresh()
		aside := fmt.Sprintf("%s.corrupt-%s", p.path, time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(p.path, aside); err != nil {
			return nil, fmt.Errorf("your progress file cannot be read (%v) nor moved aside: %w", problem, err)
		}
		return p, &RecoveredError{Path: aside, Problem: problem}
	}
	return p, nil
}

func fresh() state { return state{Version: Version, Lessons: map[string]Lesson{}} }

// decode reads a state file, refusing what this version cannot trust.
func decode(data []byte, s *state) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(s); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if s.Version != Version {
		return fmt.Errorf("format version %d, this dblings reads version %d", s.Version, Version)
	}
	if s.Lessons == nil {
		s.Lessons = map[string]Lesson{}
	}
	for id, l := range s.Lessons {
		switch l.Status {
		case Passed, Failed, NotTried:
		default:
			return fmt.Errorf("lesson %s has the unknown status %q", id, l.Status)
		}
	}
	return nil
}

// Lesson returns the progress on lesson id.
func (p *Progress) Lesson(id string) Lesson {
	l, ok := p.state.Lessons[id]
	if !ok {
		return Lesson{Status: NotTried}
	}
	return l
}

// Current is the lesson the learner is on, or "" before the first one.
func (p *Progress) Current() string { return p.state.Current }

// SetCurrent records the lesson the learner is on.
func (p *Progress) SetCurrent(id string) error {
	p.state.Current = id
	return p.save()
}

// RecordRun records the verdict of a check of lesson id that finished at
// the given time, and makes it the current lesson.
func (p *Progress) RecordRun(id string, passed bool, at time.Time) error {
	l := p.Lesson(id)
	l.Status, l.LastRun = Failed, at.UTC()
	if passed {
		l.Status = Passed
		if l.SolvedAt.IsZero() {
			l.SolvedAt = at.UTC()
		}
	}
	p.state.Lessons[id] = l
	p.state.Current = id
	return p.save()
}

// NextHint counts one more hint shown for lesson id, out of available, and
// returns its index (0 for the first hint). ok is false when every hint has
// been shown already; the count is then left alone.
func (p *Progress) NextHint(id string, available int) (index int, ok bool, err error) {
	l := p.Lesson(id)
	if l.HintsShown >= available {
		return available - 1, false, nil
	}
	index = l.HintsShown
	l.HintsShown++
	p.state.Lessons[id] = l
	return index, true, p.save()
}

// save writes the state atomically: into a temporary file in the same
// folder, flushed to disk, then renamed over the old file.
func (p *Progress) save() error {
	data, err := json.MarshalIndent(p.state, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	dir := filepath.Dir(p.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save your progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, File+".tmp-*")
	if err != nil {
		return fmt.Errorf("save your progress: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("save your progress: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save your progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save your progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save your progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		return fmt.Errorf("save your progress: %w", err)
	}
	return nil
}
