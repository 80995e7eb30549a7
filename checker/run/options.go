package run

import (
	"io/fs"
	"time"

	"github.com/dblings/dblings/sandbox"
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
	// Isolate runs the check binary out of reach of the judge's
	// credentials: as the unprivileged OS user nobody when dblings runs as
	// root (see isolate.go). grade sets it, where a pass is worth forging.
	Isolate bool
	// Seed chooses the data: the fixture's template of that seed is
	// built (once per server) and cloned, and the check is told the seed
	// (checker.Check.Seed). 0 is fixtures.FixedSeed, the data the lesson
	// texts measured; grade passes a variant's.
	Seed uint64
	// Race builds the check with the race detector (go test -race): a data
	// race in the learner's code then fails the check with both places it
	// happened, instead of passing whenever the scheduler is kind. It needs
	// cgo and a C compiler. Concurrency lessons declare it in their
	// lesson.toml ([check] race = true).
	Race bool
	// Source is the pristine module tree the check is built from: go.mod,
	// exercises/<dir> (stubs and check files), solutions/<dir>, and the
	// packages checks import (checker/, fixtures/, …). The dblings binary
	// passes the copy built into it; a learner's edits to those files in the
	// workspace never reach a check.
	Source fs.FS
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) progress(p Phase) {
	if o.Progress != nil {
		o.Progress(p)
	}
}
