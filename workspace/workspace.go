// Package workspace is the one owner of a learner's checkout: which lesson
// the learner is on, their progress, and every write to their files (reset
// with a backup, laying reference solutions). The command line and the lab
// are thin adapters over it, so they never disagree.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
)

// Workspace is a learner's dblings checkout. Build it with Open.
type Workspace struct {
	root     string
	catalog  lessons.Catalog
	source   fs.FS
	progress *progress.Progress
}

// NotWorkspaceError says that a folder is not a dblings checkout. It is
// the learner's mistake on the command line, and nothing is created there.
type NotWorkspaceError struct {
	Dir    string
	Reason string
}

func (e *NotWorkspaceError) Error() string {
	return fmt.Sprintf("%s is not a dblings workspace (%s): run dblings inside your dblings checkout, the folder with exercises/ and go.mod, or pass --workspace", e.Dir, e.Reason)
}

// Locate returns the workspace's absolute root: dir itself when it is
// given (it must be a workspace), else the nearest workspace upwards from
// the current directory.
func Locate(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		return Find(wd)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := Validate(abs); err != nil {
		return "", err
	}
	return abs, nil
}

// Find returns the nearest folder upwards from dir that is a workspace.
func Find(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if check(d) == "" {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", &NotWorkspaceError{Dir: dir, Reason: "neither it nor a folder above it holds exercises/ and go.mod"}
		}
	}
}

// check says why dir is not a workspace, or "" when it is one.
func check(dir string) string {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	case err != nil:
		return err.Error()
	case !fi.IsDir():
		return "it is not a folder"
	}
	for _, name := range []string{"go.mod", "exercises"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "it has no " + name
		}
	}
	return ""
}

// Validate fails with a *NotWorkspaceError unless dir is a workspace.
func Validate(dir string) error {
	if reason := check(dir); reason != "" {
		return &NotWorkspaceError{Dir: dir, Reason: reason}
	}
	return nil
}

// Open opens the workspace at root, with the curriculum and the pristine
// sources this dblings was built with. A progress file that had to be
// moved aside comes back as a *progress.RecoveredError along with a usable
// Workspace: a warning to show, not a failure.
func Open(root string, catalog lessons.Catalog, source fs.FS) (*Workspace, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := Validate(abs); err != nil {
		return nil, err
	}
	p, err := progress.Open(abs)
	var recovered *progress.RecoveredError
	if err != nil && !errors.As(err, &recovered) {
		return nil, err
	}
	return &Workspace{root: abs, catalog: catalog, source: source, progress: p}, err
}

// Root is the workspace's folder.
func (w *Workspace) Root() string { return w.root }

// Catalog is the curriculum.
func (w *Workspace) Catalog() lessons.Catalog { return w.catalog }

// Source is the pristine source tree (see run.Options.Source).
func (w *Workspace) Source() fs.FS { return w.source }

// Lesson returns the lesson with the given id.
func (w *Workspace) Lesson(id string) (lessons.Lesson, error) { return w.catalog.Find(id) }

// Refresh picks up progress that another dblings process saved.
func (w *Workspace) Refresh() error { return w.progress.Refresh() }

// Progress is the learner's progress on a lesson.
func (w *Workspace) Progress(l lessons.Lesson) progress.Lesson { return w.progress.Lesson(l.ID) }

// Current is the lesson the learner is on: the one last opened or checked
// (a pass moves the learner on to the next lesson not passed yet), else
// the first lesson not passed yet, else the first.
func (w *Workspace) Current() lessons.Lesson {
	if l, err := w.catalog.Find(w.progress.Current()); err == nil {
		return l
	}
	if next, ok := w.nextNotPassed(-1); ok {
		return next
	}
	return w.catalog[0]
}

// nextNotPassed is the first lesson after position i, wrapping around,
// that is not done (passed or caught up); i itself comes last.
func (w *Workspace) nextNotPassed(i int) (lessons.Lesson, bool) {
	n := len(w.catalog)
	for step := 1; step <= n; step++ {
		l := w.catalog[((i+step)%n+n)%n]
		if !w.progress.Lesson(l.ID).Done() {
			return l, true
		}
	}
	return lessons.Lesson{}, false
}

// After is the lesson a learner goes on to once l has passed: the next one
// not passed yet, wrapping around, or l itself when every other lesson has
// passed.
func (w *Workspace) After(l lessons.Lesson) lessons.Lesson {
	i := w.catalog.Index(l.ID)
	if next, ok := w.nextNotPassed(i); ok && next.ID != l.ID {
		return next
	}
	return l
}

// Visit makes l the lesson the learner is on, at the given time: an
// activity on l.
func (w *Workspace) Visit(l lessons.Lesson, at time.Time) error {
	if err := w.progress.SetCurrent(l.ID); err != nil {
		return err
	}
	return w.RecordActivity(l, at)
}

// RecordActivity records that the learner was active on l at the given
// time: it counts toward the time spent on l (see progress, "Time
// spent"). Visit, RecordRun and NextHint record theirs; the lab adds its
// heartbeats while it shows l to a learner at work.
func (w *Workspace) RecordActivity(l lessons.Lesson, at time.Time) error {
	return w.progress.RecordActivity(l.ID, at)
}

// RecordRun records the verdict of a check of l that finished at the given
// time, as RecordVerdict does, and the learner's activity on l then.
func (w *Workspace) RecordRun(l lessons.Lesson, passed bool, at time.Time) error {
	if err := w.RecordVerdict(l, passed, at); err != nil {
		return err
	}
	return w.RecordActivity(l, at)
}

// RecordVerdict records the verdict of a check of l that finished at the
// given time, and no activity: grade checks every lesson at once, which
// is no time spent on each. After a pass the learner is on the next
// lesson not passed yet. A caught-up lesson whose files are still the
// reference solution stays caught up when it passes: the pass is not the
// learner's.
func (w *Workspace) RecordVerdict(l lessons.Lesson, passed bool, at time.Time) error {
	if err := w.progress.Refresh(); err != nil {
		return err
	}
	if passed && w.progress.Lesson(l.ID).Status == progress.CaughtUp && w.holdsSolution(l) {
		return w.progress.RecordCaughtUpRun(l.ID, at, w.After(l).ID)
	}
	return w.progress.RecordRun(l.ID, passed, at, w.After(l).ID)
}

// Hint is one hint of a lesson, numbered from 1.
type Hint struct {
	Text          string
	Number, Total int
	// Repeated is true when every hint had been shown already: Text is the
	// last one again.
	Repeated bool
}

// NextHint shows one more of the hints of l (l.Hints()) at the given
// time: the first, then the next each time, then the last again. Asking
// for a hint is an activity on l.
func (w *Workspace) NextHint(l lessons.Lesson, hints []string, at time.Time) (Hint, error) {
	if len(hints) == 0 {
		return Hint{}, fmt.Errorf("lesson %s has no hints", l.ID)
	}
	i, fresh, err := w.progress.NextHint(l.ID, len(hints))
	if err != nil {
		return Hint{}, err
	}
	h := Hint{Text: hints[i], Number: i + 1, Total: len(hints), Repeated: !fresh}
	return h, w.RecordActivity(l, at)
}
