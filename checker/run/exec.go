package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/dblings/dblings/checker"
)

// killGrace is how long the runner waits past the check's own timeout
// before it kills the process: go test's timeout panic comes first and
// prints where every goroutine was, which tells the learner where their
// code was stuck.
const killGrace = 10 * time.Second

// Run prepares the check's databases, runs the compiled check and removes
// the databases again, whatever happened. The error is for a cancelled ctx
// only; every other outcome is a Result.
func (b *Build) Run(ctx context.Context) (*Result, error) {
	if b.done != nil {
		r := *b.done
		return &r, nil
	}
	res := b.result(Passed, "")
	b.opts.progress(PhasePreparing)
	start := time.Now()
	dbs, err := prepareDatabases(ctx, b.lesson, b.opts)
	res.Timings.Prepare = time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Verdict, res.Message = Errored, err.Error()
		return res, nil
	}
	defer func() {
		start := time.Now()
		res.Warnings = append(res.Warnings, dbs.release(context.WithoutCancel(ctx))...)
		res.Timings.Cleanup = time.Since(start)
	}()

	b.opts.progress(PhaseRunning)
	out, err := b.execute(ctx, dbs)
	res.Timings.Run = out.elapsed
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		res.Verdict, res.Message = Errored, err.Error()
		return res, nil
	}
	b.judge(res, out)
	return res, nil
}

// outcome is what one execution of a check binary left behind.
type outcome struct {
	log      *testLog
	records  []checker.Record
	badLines error // report lines that were not records
	exitCode int
	killed   bool // the runner killed it at the hard deadline
	elapsed  time.Duration
}

// execute runs the test binary through test2json, in the lesson's folder
// (where go test would run it), with the check's variables.
func (b *Build) execute(ctx context.Context, dbs *databases) (*outcome, error) {
	report := filepath.Join(b.dir, "report.jsonl")
	if err := os.WriteFile(report, nil, 0o644); err != nil {
		return &outcome{}, fmt.Errorf("create the report file: %w", err)
	}
	timeout := b.opts.timeout()
	rctx, cancel := context.WithTimeout(ctx, timeout+killGrace)
	defer cancel()

	out := &outcome{log: newTestLog()}
	events := &lineWriter{fn: func(line []byte) { out.log.add(parseEvent(line)) }}
	cmd := exec.CommandContext(rctx, "go", "tool", "test2json", "-t", "-p", path.Join("exercises", b.lesson.Dir),
		b.binary, "-test.v=test2json", "-test.count=1", "-test.run=.", "-test.paniconexit0",
		"-test.timeout="+timeout.String())
	cmd.Dir = b.runDir()
	cmd.Env = append(os.Environ(), dbs.environ(report)...)
	cmd.Stdout = events
	cmd.Stderr = events
	// Children the learner's code started may hold the output open; stop
	// waiting for them a moment after the check itself has ended.
	cmd.WaitDelay = 2 * time.Second
	inOwnGroup(cmd)

	start := time.Now()
	err := cmd.Run()
	out.elapsed = time.Since(start)
	_ = killGroup(cmd)
	events.Flush()
	out.killed = rctx.Err() != nil && ctx.Err() == nil

	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		out.exitCode = exit.ExitCode()
	case err != nil && !out.killed && ctx.Err() == nil:
		return out, fmt.Errorf("could not start the check: %w", err)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		return out, fmt.Errorf("read the check's report: %w", err)
	}
	out.records, out.badLines = checker.ReadRecords(data)
	return out, nil
}

// runDir is the lesson's folder, where go test runs a test binary; a
// workspace without it (only possible with Replace) runs at the root.
func (b *Build) runDir() string {
	dir := filepath.Join(b.opts.Workspace, "exercises", b.lesson.Dir)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return b.opts.Workspace
}

// learnerFile says whether a file from a stack trace is one the learner
// writes: in the lesson's folder, and not a check file.
func (b *Build) learnerFile(file string) (string, bool) {
	rel := b.relPath(file)
	inLesson := strings.HasPrefix(rel, path.Join("exercises", b.lesson.Dir)+"/")
	return rel, inLesson && !isTestFile(rel)
}

// judge turns an outcome into a verdict. A crash or timeout decides before
// assertions do: the assertions made before it are kept, but the run did
// not finish.
func (b *Build) judge(res *Result, out *outcome) {
	res.Output = out.log.all.String()
	crash, timedOut := findCrash(res.Output, b.learnerFile)
	res.Assertions = assertions(out, crash != nil || out.killed)
	if out.badLines != nil {
		res.Warnings = append(res.Warnings, "the check's report had lines that were not records: "+out.badLines.Error())
	}
	timeout := b.opts.timeout()
	switch {
	case out.killed || timedOut:
		if crash == nil || !timedOut {
			crash = &Crash{}
		}
		crash.Message = fmt.Sprintf("the check did not finish within %s and was stopped", timeout)
		res.Verdict, res.Crash = TimedOut, crash
		res.Message = crash.Message + ": look for a loop that never ends or a wait that never returns"
	case crash != nil:
		res.Verdict, res.Crash = Panicked, crash
		res.Message = "the code crashed: " + crash.Message
	case out.exitCode != 0 || failing(res.Assertions) > 0:
		res.Verdict = Failed
		if failing(res.Assertions) == 0 {
			res.Assertions = append(res.Assertions, Assertion{Name: "check finished", Message: fmt.Sprintf("the check process ended with exit status %d", out.exitCode)})
		}
		res.Message = fmt.Sprintf("%d of %d assertions failed", failing(res.Assertions), len(res.Assertions))
	case len(res.Assertions) == 0:
		res.Verdict, res.Message = Errored, "the check ran no tests: this lesson's check_test.go is broken"
	default:
		res.Verdict, res.Message = Passed, fmt.Sprintf("all %d assertions passed", len(res.Assertions))
	}
}

// assertions joins the report records with go test's verdicts: every
// record in order, then a made-up failed assertion for each failed test
// that wrote no failing record (a check that stopped with t.Fatal before
// asserting anything, for instance). Without records, each passing test
// counts as one assertion. After a crash only the records count: the
// crash explains the failed tests.
func assertions(out *outcome, crashed bool) []Assertion {
	var list []Assertion
	for _, r := range out.records {
		list = append(list, Assertion{Test: r.Test, Name: r.Name, OK: r.OK, Message: r.Message, Evidence: r.Evidence})
	}
	if crashed {
		return list
	}
	for _, test := range out.log.failed() {
		if hasFailingRecord(out.records, test) {
			continue
		}
		text := out.log.failureText(test)
		msg := firstLine(text, "the test failed without a message")
		if !out.log.tests[test].finished {
			msg = unfinished
		}
		list = append(list, Assertion{Test: test, Name: test, Message: msg, Output: text})
	}
	if len(out.records) == 0 {
		for _, test := range out.log.order {
			if out.log.tests[test].end == ActionPass && !strings.Contains(test, "/") {
				list = append(list, Assertion{Test: test, Name: test, OK: true, Message: "passed"})
			}
		}
	}
	return list
}

// hasFailingRecord reports whether test (or one of its subtests) wrote a
// failing record. Records without a test name could come from any test.
func hasFailingRecord(records []checker.Record, test string) bool {
	for _, r := range records {
		if !r.OK && (r.Test == "" || r.Test == test || strings.HasPrefix(r.Test, test+"/") || strings.HasPrefix(test, r.Test+"/")) {
			return true
		}
	}
	return false
}

func failing(list []Assertion) int {
	n := 0
	for _, a := range list {
		if !a.OK {
			n++
		}
	}
	return n
}

// unfinished explains a test that test2json failed because the process
// ended under it (its own "--- FAIL" line never came).
const unfinished = "the check process ended before the test finished: does the code call os.Exit or log.Fatal?"

func firstLine(s, fallback string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return fallback
	}
	line, _, _ := strings.Cut(s, "\n")
	return line
}
