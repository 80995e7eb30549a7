package workspace

import (
	"fmt"
	"time"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
)

// CatchUpStep is what catching up does to one lesson before the target.
type CatchUpStep struct {
	Lesson lessons.Lesson
	// Passed lessons are left as they are: the learner's own passing work
	// is worth more than the reference solution.
	Passed bool
	// Files are the solution's files the workspace holds with other
	// content (the learner's version, or the stub), which Lay will back up
	// and overwrite. Empty when the solution is already there.
	Files []File
	// Already: the lesson is caught up and holds its solution; nothing to
	// do.
	Already bool
}

// pending reports whether catching up has something to do to the lesson.
func (s CatchUpStep) pending() bool { return !s.Passed && !s.Already }

// CatchUpPlan is what CatchUp would do to reach Target, before anything is
// written, so that the learner can be asked first.
type CatchUpPlan struct {
	Target lessons.Lesson
	Steps  []CatchUpStep
}

// Overwrites lists the files catching up would replace, in lesson order.
func (p CatchUpPlan) Overwrites() []File {
	var out []File
	for _, s := range p.Steps {
		out = append(out, s.Files...)
	}
	return out
}

// Pending is how many lessons catching up would mark caught up.
func (p CatchUpPlan) Pending() int {
	n := 0
	for _, s := range p.Steps {
		if s.pending() {
			n++
		}
	}
	return n
}

// PlanCatchUp says what catching up to target would do to each lesson
// before it. It writes nothing.
func (w *Workspace) PlanCatchUp(target lessons.Lesson) (CatchUpPlan, error) {
	if err := w.progress.Refresh(); err != nil {
		return CatchUpPlan{}, err
	}
	plan := CatchUpPlan{Target: target}
	for _, l := range w.catalog[:max(0, w.catalog.Index(target.ID))] {
		step := CatchUpStep{Lesson: l, Passed: w.progress.Lesson(l.ID).Status == progress.Passed}
		if !step.Passed {
			solution, err := w.Solution(l)
			if err != nil {
				return CatchUpPlan{}, err
			}
			if step.Files, err = w.Differing(solution); err != nil {
				return CatchUpPlan{}, err
			}
			step.Already = len(step.Files) == 0 && w.progress.Lesson(l.ID).Status == progress.CaughtUp
		}
		plan.Steps = append(plan.Steps, step)
	}
	return plan, nil
}

// CaughtUp is what CatchUp did to one lesson.
type CaughtUp struct {
	Lesson  lessons.Lesson
	Written Written
}

// CatchUp carries out a plan: it lays the reference solution of every
// lesson not passed nor caught up yet (backing up what it overwrites, see Lay), marks
// those lessons caught up and puts the learner on the target. Lessons
// laid before an error are still marked, so the state matches the files;
// the learner then stays where they were.
func (w *Workspace) CatchUp(plan CatchUpPlan, at time.Time) ([]CaughtUp, error) {
	var done []CaughtUp
	var ids []string
	var layErr error
	for _, s := range plan.Steps {
		if !s.pending() {
			continue
		}
		written, err := w.LaySolution(s.Lesson)
		if err != nil {
			// A lesson laid in part is not caught up; its backup is kept.
			layErr = fmt.Errorf("catch up %s: %w", s.Lesson.ID, err)
			break
		}
		ids = append(ids, s.Lesson.ID)
		done = append(done, CaughtUp{s.Lesson, written})
	}
	current := plan.Target.ID
	if layErr != nil {
		current = w.Current().ID
	}
	if err := w.progress.MarkCaughtUp(ids, at, current); err != nil {
		return done, err
	}
	return done, layErr
}

// holdsSolution reports whether the workspace holds l's reference
// solution, byte for byte.
func (w *Workspace) holdsSolution(l lessons.Lesson) bool {
	solution, err := w.Solution(l)
	if err != nil {
		return false
	}
	differing, err := w.Differing(solution)
	return err == nil && len(differing) == 0
}
