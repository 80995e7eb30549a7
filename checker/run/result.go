package run

import (
	"fmt"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/witness"
)

// Verdict is the outcome of one check, as the learner sees it.
type Verdict string

// The verdicts. Only Passed counts as a pass; Errored means the check could
// not judge the learner's code at all (the environment failed), so the
// learner is never blamed for it.
const (
	Passed       Verdict = "passed"
	Failed       Verdict = "failed"
	CompileError Verdict = "compile-error"
	Panicked     Verdict = "panic"
	TimedOut     Verdict = "timeout"
	Errored      Verdict = "error"
	// Disputed: the check's own report passed, and the second witness,
	// looking at the databases from outside the check's process, found
	// otherwise. Never a pass.
	Disputed Verdict = "disputed"
)

// Phase is a step of a check, reported through Options.Progress.
type Phase string

// The phases, in the order a check goes through them.
const (
	PhaseCompiling Phase = "compiling"
	PhasePreparing Phase = "preparing database"
	PhaseRunning   Phase = "running"
)

// Result is everything one check found out.
type Result struct {
	Lesson lessons.Lesson
	Mode   Mode
	// Seed is the seed of the data the check ran on (see Options.Seed):
	// with the lesson, what reproduces the verdict.
	Seed uint64
	// Verdict decides; Message says it in one sentence for the learner.
	Verdict Verdict
	Message string
	// Assertions are the check's assertions in the order they were made.
	// A check that crashed or timed out keeps the ones made before.
	Assertions []Assertion
	// Witness are the facts the second witness established from the
	// databases after the check (see package witness).
	Witness []witness.Fact
	// CompileErrors are set for the compile-error verdict.
	CompileErrors []Diagnostic
	// Crash is set for the panic and timeout verdicts.
	Crash *Crash
	// Output is the tail of what the check process printed, for debugging
	// a verdict the other fields do not explain.
	Output string
	// Warnings are problems that did not change the verdict, such as a
	// database that could not be dropped.
	Warnings []string
	// Started is when the check began; Timings splits its duration.
	Started time.Time
	Timings Timings
}

// Pass reports whether the check passed.
func (r *Result) Pass() bool { return r.Verdict == Passed }

// Assertion is one thing the check asserted, taken from the report records
// the check wrote (see package checker), or made up by the runner from a
// failed Go test that wrote no failing record.
type Assertion struct {
	// Test is the Go test that made the assertion, when known.
	Test    string
	Name    string
	OK      bool
	Message string
	// Evidence is what the assertion looked at.
	Evidence checker.Evidence
	// Weight is the assertion's share of the lesson's points relative to
	// the others' (checker.WithWeights); 0 stands for the default, 1.
	Weight float64
	// Output is what the test printed, kept only for failed tests without
	// a record of their own.
	Output string
}

// Diagnostic is one compiler message. File is relative to the workspace
// (slash-separated) when the file is in it.
type Diagnostic struct {
	File    string
	Line    int
	Column  int
	Message string
}

func (d Diagnostic) String() string {
	switch {
	case d.File == "":
		return d.Message
	case d.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Column, d.Message)
	default:
		return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Message)
	}
}

// Crash says what stopped a check: the panic message, or the timeout, and
// where the learner's code was at that moment.
type Crash struct {
	Message string
	// Frames are the stack frames in the learner's files, innermost first.
	Frames []Frame
}

// Frame is one stack frame. File is relative to the workspace.
type Frame struct {
	Function string
	File     string
	Line     int
}

func (f Frame) String() string { return fmt.Sprintf("%s:%d (%s)", f.File, f.Line, f.Function) }

// Timings split a check's duration into the phases a learner waits for.
type Timings struct {
	// Compile is building the test binary (go test -c).
	Compile time.Duration
	// Prepare is making the database: the fixture template (slow once,
	// then reused), the clones and the Redis database.
	Prepare time.Duration
	// Role is the learner's unprivileged role: sweeping the roles of
	// earlier checks, creating this check's and dropping it afterwards.
	// With Witness, it is what the trust model costs a check.
	Role time.Duration
	// Run is the test binary running the check.
	Run time.Duration
	// Witness is the second witness: its look at the databases before the
	// check and its judgement after it.
	Witness time.Duration
	// Cleanup is dropping the clones and flushing Redis.
	Cleanup time.Duration
	// Elapsed is the wall time from the start of the check to its verdict:
	// less than the sum of the phases, because Check prepares the databases
	// (and the witness looks at them) while the code compiles.
	Elapsed time.Duration
}

// Total is how long the learner waited for the verdict: Elapsed, or the sum
// of the phases when Elapsed was not measured.
func (t Timings) Total() time.Duration {
	if t.Elapsed > 0 {
		return t.Elapsed
	}
	return t.Compile + t.Prepare + t.Role + t.Run + t.Witness + t.Cleanup
}
