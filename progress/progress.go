// Package progress keeps a learner's progress in the workspace, in
// .dblings/state.json. It is the only code that reads or writes that file;
// the TUI and the commands go through it.
//
// The file is JSON, meant to be readable and safe to copy between machines:
//
//	{
//	  "version": 2,
//	  "current": "explain-index",
//	  "lessons": {
//	    "explain-index": {
//	      "status": "failed",
//	      "last_run": "2026-11-21T09:12:44Z",
//	      "solved_at": "2026-11-21T08:57:02Z",
//	      "hints_shown": 2,
//	      "time_spent_s": 1860,
//	      "last_active": "2026-11-21T09:14:02Z"
//	    },
//	    "cache-aside": {
//	      "status": "caught up",
//	      "caught_up_at": "2026-11-21T09:30:00Z"
//	    }
//	  }
//	}
//
// version is the format's version (2; version 1 files, which have no
// "caught up" lessons, are read as they are). current is the lesson the
// learner is on. Per lesson, status is "passed" or "failed" after a check
// ran, "caught up" when `dblings catch-up` laid the reference solution
// ("not tried" otherwise, and lessons never run are left out), last_run is
// when the last check finished, solved_at when it first passed (kept when
// a later run fails, so that "dblings solution" stays unlocked),
// caught_up_at when it was caught up, hints_shown counts the hints
// already shown, time_spent_s is the time spent on it in whole seconds and
// last_active the learner's last activity on it (see below). Every field
// but status is left out until it has a value; the last two came after
// version 2 without changing it, and files without them read as lessons
// with no time spent.
//
// # Time spent
//
// Time spent is active time, counted the way activity trackers count it.
// Every activity on a lesson is a heartbeat at a time t: the lab showing
// the lesson (opening it, then every 30 s while it stays on the lesson's
// screens and the learner pressed a key, saved or checked in the last 10
// minutes), a save of the exercise the lab sees, a check that finishes
// (in the lab or with `dblings check`) and a hint shown. When the lesson's
// previous heartbeat (last_active) was at most [Break] before t, the gap
// is added to the time spent; a longer gap is a break and adds nothing.
// So a learner who works in their own editor and runs `dblings check` from
// a shell gets their time counted too, and a lab left open over lunch does
// not count lunch. A heartbeat earlier than last_active (two processes,
// or a clock set back) adds nothing and leaves last_active where it is.
// Heartbeats are counted in whole seconds, so the sum is exact.
//
// Every change is made under a lock (.dblings/state.lock) on the file as it
// is on disk at that moment, not on what this process read earlier, and
// written atomically (a temporary file renamed over the old one): two
// dblings processes, a lab and a command line, say, never lose each other's
// changes, and a crash never leaves half a file. A file that cannot be read
// is moved aside to state.json.corrupt-<time>-<n> and a fresh state begins:
// progress is a convenience, never a reason to stop.
package progress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/renameio/v2"
)

// Version is the state file format this package writes. Version 2 added
// the "caught up" status; version 1 files are read as they are.
const Version = 2

// oldestVersion is the oldest format this package still reads.
const oldestVersion = 1

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
	// CaughtUp: the reference solution was laid by `dblings catch-up`,
	// so the lesson is behind the learner without being their pass.
	CaughtUp Status = "caught up"
)

// Lesson is the progress on one lesson.
type Lesson struct {
	Status     Status    `json:"status"`
	LastRun    time.Time `json:"last_run,omitzero"`
	SolvedAt   time.Time `json:"solved_at,omitzero"`
	CaughtUpAt time.Time `json:"caught_up_at,omitzero"`
	HintsShown int       `json:"hints_shown,omitempty"`
	// Spent is the active time spent on the lesson (see "Time spent"),
	// saved as time_spent_s in whole seconds.
	Spent time.Duration `json:"-"`
	// LastActive is the last heartbeat on the lesson.
	LastActive time.Time `json:"last_active,omitzero"`
}

// lessonFields is Lesson without its JSON methods, for them to use.
type lessonFields Lesson

// MarshalJSON writes Spent as time_spent_s, in whole seconds.
func (l Lesson) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		lessonFields
		SpentS int64 `json:"time_spent_s,omitempty"`
	}{lessonFields(l), int64(l.Spent / time.Second)})
}

// UnmarshalJSON reads time_spent_s into Spent; a negative one, which no
// dblings writes, reads as no time spent.
func (l *Lesson) UnmarshalJSON(data []byte) error {
	w := struct {
		*lessonFields
		SpentS int64 `json:"time_spent_s"`
	}{lessonFields: (*lessonFields)(l)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	l.Spent = time.Duration(max(0, w.SpentS)) * time.Second
	return nil
}

// Break is the longest gap between two heartbeats on a lesson that still
// counts as time spent: a longer one is a break.
const Break = 10 * time.Minute

// active counts a heartbeat at the given time (see "Time spent").
func (l *Lesson) active(at time.Time) {
	at = at.UTC().Truncate(time.Second)
	if !l.LastActive.IsZero() {
		if !at.After(l.LastActive) {
			return
		}
		if gap := at.Sub(l.LastActive); gap <= Break {
			l.Spent += gap
		}
	}
	l.LastActive = at
}

// Solved reports whether the lesson has passed at least once, or was
// caught up: either way its reference solution is no secret any more.
func (l Lesson) Solved() bool { return !l.SolvedAt.IsZero() || !l.CaughtUpAt.IsZero() }

// Done reports whether the learner is past the lesson: passed, or caught
// up. Moving on skips done lessons.
func (l Lesson) Done() bool { return l.Status == Passed || l.Status == CaughtUp }

// state is the file's content.
type state struct {
	Version int               `json:"version"`
	Current string            `json:"current,omitempty"`
	Lessons map[string]Lesson `json:"lessons"`
}

// Progress is a workspace's progress. Its methods that change something
// merge the change into the file under the lock and save at once; Refresh
// picks up what other processes saved. It is not safe for concurrent use
// by goroutines.
type Progress struct {
	path  string
	state state
	seen  fileStamp // the file as last read
}

// fileStamp tells whether the file changed since it was read.
type fileStamp struct {
	modTime time.Time
	size    int64
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{modTime: fi.ModTime(), size: fi.Size()}
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
// Progress. Open creates nothing.
func Open(root string) (*Progress, error) {
	p := &Progress{path: filepath.Join(root, Dir, File), state: fresh()}
	if err := p.load(); err != nil {
		var recovered *RecoveredError
		if errors.As(err, &recovered) {
			return p, err
		}
		return nil, err
	}
	return p, nil
}

// load reads the file into p.state; see Open for what it does with a
// missing or unreadable file.
func (p *Progress) load() error {
	stamp := stampOf(p.path)
	data, err := os.ReadFile(p.path)
	if errors.Is(err, fs.ErrNotExist) {
		p.state, p.seen = fresh(), fileStamp{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read your progress: %w", err)
	}
	read, problem := decode(data)
	if problem == nil {
		p.state, p.seen = read, stamp
		return nil
	}
	p.state, p.seen = fresh(), fileStamp{}
	aside, err := moveAside(p.path)
	if err != nil {
		return fmt.Errorf("your progress file cannot be read (%v) nor moved aside: %w", problem, err)
	}
	return &RecoveredError{Path: aside, Problem: problem}
}

// moveAside renames an unreadable file to a name no other one has, so that
// two damaged files in the same second are both kept.
func moveAside(path string) (string, error) {
	base := fmt.Sprintf("%s.corrupt-%s", path, time.Now().UTC().Format("20060102T150405Z"))
	for n := 1; ; n++ {
		aside := fmt.Sprintf("%s-%d", base, n)
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			return aside, os.Rename(path, aside)
		}
	}
}

// Refresh re-reads the file when another process changed it since this
// one last read or wrote it.
func (p *Progress) Refresh() error {
	if stampOf(p.path) == p.seen {
		return nil
	}
	return p.load()
}

// update applies change to the file as it is now, under the lock, and
// saves it.
func (p *Progress) update(change func(*state)) error {
	if err := os.MkdirAll(filepath.Dir(p.path), 0o755); err != nil {
		return fmt.Errorf("save your progress: %w", err)
	}
	lock := flock.New(filepath.Join(filepath.Dir(p.path), "state.lock"))
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	if ok, err := lock.TryLockContext(ctx, 10*time.Millisecond); !ok {
		return fmt.Errorf("save your progress: another dblings holds %s: %v", lock.Path(), err)
	}
	defer lock.Unlock()
	if err := p.load(); err != nil {
		var recovered *RecoveredError
		if !errors.As(err, &recovered) {
			return err
		}
	}
	change(&p.state)
	if err := p.save(); err != nil {
		return err
	}
	p.seen = stampOf(p.path)
	return nil
}

// lockWait is how long a change waits for another process's change to
// finish; changes take milliseconds.
const lockWait = 10 * time.Second

func fresh() state { return state{Version: Version, Lessons: map[string]Lesson{}} }

// decode reads a state file, refusing what this version cannot trust.
func decode(data []byte) (state, error) {
	var s state
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("not valid JSON: %w", err)
	}
	if s.Version < oldestVersion || s.Version > Version {
		return s, fmt.Errorf("format version %d, this dblings reads versions %d to %d", s.Version, oldestVersion, Version)
	}
	s.Version = Version // saved in this format from now on
	if s.Lessons == nil {
		s.Lessons = map[string]Lesson{}
	}
	for id, l := range s.Lessons {
		switch l.Status {
		case Passed, Failed, NotTried, CaughtUp:
		default:
			return s, fmt.Errorf("lesson %s has the unknown status %q", id, l.Status)
		}
	}
	return s, nil
}

// Lesson returns the progress on lesson id.
func (p *Progress) Lesson(id string) Lesson { return lessonIn(&p.state, id) }

// Current is the lesson the learner is on, or "" before the first one.
func (p *Progress) Current() string { return p.state.Current }

// SetCurrent records the lesson the learner is on.
func (p *Progress) SetCurrent(id string) error {
	return p.update(func(s *state) { s.Current = id })
}

// RecordRun records the verdict of a check of lesson id that finished at
// the given time. The learner is then on lesson id, or on next after a
// pass (when next is not empty): a pass moves the learner on.
func (p *Progress) RecordRun(id string, passed bool, at time.Time, next string) error {
	return p.update(func(s *state) {
		l := lessonIn(s, id)
		l.Status, l.LastRun = Failed, at.UTC()
		if passed {
			l.Status = Passed
			if l.SolvedAt.IsZero() {
				l.SolvedAt = at.UTC()
			}
		}
		s.Lessons[id] = l
		s.Current = id
		if passed && next != "" {
			s.Current = next
		}
	})
}

// RecordActivity records a heartbeat on lesson id at the given time: an
// activity of the learner on it (see "Time spent").
func (p *Progress) RecordActivity(id string, at time.Time) error {
	return p.update(func(s *state) {
		l := lessonIn(s, id)
		l.active(at)
		s.Lessons[id] = l
	})
}

// MarkCaughtUp records that the reference solutions of lessons ids were
// laid at the given time, and puts the learner on current.
func (p *Progress) MarkCaughtUp(ids []string, at time.Time, current string) error {
	return p.update(func(s *state) {
		for _, id := range ids {
			l := lessonIn(s, id)
			l.Status, l.CaughtUpAt = CaughtUp, at.UTC()
			s.Lessons[id] = l
		}
		s.Current = current
	})
}

// RecordCaughtUpRun records a passing check of a caught-up lesson whose
// files are still the reference solution: the pass is the solution's, not
// the learner's, so the lesson stays caught up. The learner moves on as
// after any pass.
func (p *Progress) RecordCaughtUpRun(id string, at time.Time, next string) error {
	return p.update(func(s *state) {
		l := lessonIn(s, id)
		l.Status, l.LastRun = CaughtUp, at.UTC()
		s.Lessons[id] = l
		s.Current = id
		if next != "" {
			s.Current = next
		}
	})
}

func lessonIn(s *state, id string) Lesson {
	l, ok := s.Lessons[id]
	if !ok {
		return Lesson{Status: NotTried}
	}
	return l
}

// NextHint counts one more hint shown for lesson id, out of available, and
// returns its index (0 for the first hint). ok is false when every hint has
// been shown already; the count is then left alone.
func (p *Progress) NextHint(id string, available int) (index int, ok bool, err error) {
	err = p.update(func(s *state) {
		l := lessonIn(s, id)
		if l.HintsShown >= available {
			index, ok = available-1, false
			return
		}
		index, ok = l.HintsShown, true
		l.HintsShown++
		s.Lessons[id] = l
	})
	return index, ok, err
}

// save writes the state atomically: into a temporary file in the same
// folder, flushed to disk, then renamed over the old file.
func (p *Progress) save() error {
	data, err := json.MarshalIndent(p.state, "", "  ")
	if err != nil {
		return err
	}
	if err := renameio.WriteFile(p.path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("save your progress: %w", err)
	}
	return nil
}

// FormatSpent says a time spent the way dblings shows it: "< 1 min",
// "7 min", "1 h 05 min", in whole minutes rounded down; "" for none.
func FormatSpent(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Minute:
		return "< 1 min"
	case d < time.Hour:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d h %02d min", d/time.Hour, d%time.Hour/time.Minute)
}
