package run

import (
	"io/fs"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/exercises"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/solutions"
)

// DefaultTimeout is how long a check may run when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// Mode says whose code a check runs.
type Mode int

const (
	// Learner runs the workspace's exercise as the learner left it.
	Learner Mode = iota
	// Stub runs the pristine stub, whatever is in the workspace: an
	// untouched stub must fail its check.
	Stub
	// Solution runs the reference solution laid over the stub: it must pass.
	Solution
)

func (m Mode) String() string {
	switch m {
	case Stub:
		return "stub"
	case Solution:
		return "solution"
	default:
		return "learner"
	}
}

// Options configure one check. Workspace and Env are required.
type Options struct {
	// Workspace is the root of the learner's checkout (go.mod, exercises/).
	Workspace string
	// Env holds the servers; the runner makes its own databases on them
	// and removes them afterwards.
	Env *sandbox.Env
	// Mode says whose code runs (default: the learner's).
	Mode Mode
	// Scale grows or shrinks the fixture data; 0 means 1.
	Scale float64
	// Timeout bounds the run phase; 0 means DefaultTimeout.
	Timeout time.Duration
	// Replace lays files over the workspace for this check only:
	// workspace-relative slash path → content. The project's own tests use
	// it to run wrong answers without touching any file.
	Replace map[string][]byte
	// Progress, when set, is told when each phase starts. In a Series the
	// compiling phase of the next job is reported from another goroutine
	// while the current job runs.
	Progress func(Phase)
	// Sources are the pristine files laid over the workspace; the zero
	// value means the copies built into this binary.
	Sources Sources
}

// Sources are the pristine trees the runner takes check files, stubs,
// solutions and the checker library from.
type Sources struct {
	// Exercises holds <lesson dir>/*.go: stubs and check files.
	Exercises fs.FS
	// Solutions holds <lesson dir>/*.go: reference solutions.
	Solutions fs.FS
	// Checker holds the checker library's *.go files.
	Checker fs.FS
}

// Embedded returns the sources built into this binary.
func Embedded() Sources {
	return Sources{Exercises: exercises.FS(), Solutions: solutions.FS(), Checker: checker.Sources()}
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) scale() float64 {
	if o.Scale > 0 {
		return o.Scale
	}
	return 1
}

func (o Options) sources() Sources {
	s := o.Sources
	embedded := Embedded()
	if s.Exercises == nil {
		s.Exercises = embedded.Exercises
	}
	if s.Solutions == nil {
		s.Solutions = embedded.Solutions
	}
	if s.Checker == nil {
		s.Checker = embedded.Checker
	}
	return s
}

func (o Options) progress(p Phase) {
	if o.Progress != nil {
		o.Progress(p)
	}
}
