package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
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
func (b *build) Run(ctx context.Context) (*Result, error) {
	if b.done != nil {
		r := *b.done
		return &r, nil
	}
	res := b.result(Passed, "")
	b.opts.progress(PhasePreparing)
	start := time.Now()
	// Checks killed before they could clean up left their databases,
	// folders and processes; remove them before adding our own.
	if err := Reap(ctx, b.opts.Env); err != nil && ctx.Err() == nil {
		res.Warnings = append(res.Warnings, "could not remove what earlier, killed checks left behind: "+err.Error())
	}
	dbs, err := prepareDatabases(ctx, b.lesson, b.opts)
	res.Timings.Prepare = time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Verdict, res.Message = Errored, err.Error()
		return res, nil
	}
	res.Timings.Prepare -= dbs.roleTime
	res.Timings.Role = dbs.roleTime
	defer func() {
		start, roles := time.Now(), dbs.roleTime
		res.Warnings = append(res.Warnings, dbs.release(context.WithoutCancel(ctx))...)
		res.Timings.Cleanup = time.Since(start) - (dbs.roleTime - roles)
		res.Timings.Role = dbs.roleTime
	}()

	start = time.Now()
	judge, err := b.watch(ctx, dbs)
	res.Timings.Witness = time.Since(start)
	if err != nil {
		res.Verdict, res.Message = Errored, err.Error()
		return res, nil
	}
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
	start = time.Now()
	facts, err := testify(ctx, dbs, judge)
	res.Timings.Witness += time.Since(start)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		res.Verdict, res.Message = Errored, err.Error()
		return res, nil
	}
	b.judge(res, out)
	b.requireTests(res, out.log)
	b.weigh(res, facts)
	return res, nil
}

// outcome is what one execution of a check binary left behind.
type outcome struct {
	log      *testLog
	records  []checker.Record
	badLines error // report lines that were not records
	exitCode int
	killed   bool // the runner killed it at the hard deadline
	// reportCut says the report was larger than maxReport: the records
	// past it were not read.
	reportCut bool
	elapsed   time.Duration
}

// execute runs the test binary through test2json, in the lesson's folder
// (where go test would run it), with the check's variables.
func (b *build) execute(ctx context.Context, dbs *databases) (*outcome, error) {
	report := filepath.Join(b.dir, "report.jsonl")
	if err := os.WriteFile(report, nil, 0o644); err != nil {
		return &outcome{}, fmt.Errorf("create the report file: %w", err)
	}
	timeout := b.opts.timeout()
	rctx, cancel := context.WithTimeout(ctx, timeout+killGrace)
	defer cancel()

	out := &outcome{log: newTestLog()}
	events := &lineWriter{fn: func(line []byte) { out.log.add(parseEvent(line)) }}
	argv := []string{b.binary, "-test.v=test2json", "-test.count=1", "-test.run=.", "-test.paniconexit0",
		"-test.timeout=" + timeout.String()}
	given, err := dbs.environ(report)
	if err != nil {
		return &outcome{}, err
	}
	env, dir := append(checkEnviron(b.dir), given), b.runDir()
	if b.isolated() {
		if argv, err = b.isolate(argv, report); err != nil {
			return &outcome{}, err
		}
		dir = b.dir
	}
	cmd := exec.CommandContext(rctx, "go", append([]string{"tool", "test2json", "-t", "-p", path.Join("exercises", b.lesson.Dir)}, argv...)...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout = events
	cmd.Stderr = events
	// Children the learner's code started may hold the output open; stop
	// waiting for them a moment after the check itself has ended.
	cmd.WaitDelay = 2 * time.Second
	inOwnGroup(cmd)

	start := time.Now()
	err = cmd.Run()
	out.elapsed = time.Since(start)
	_ = killGroup(cmd)
	sweepCheck(b.dir)
	events.Flush()
	out.killed = rctx.Err() != nil && ctx.Err() == nil

	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		out.exitCode = exit.ExitCode()
	case err != nil && !out.killed && ctx.Err() == nil:
		return out, fmt.Errorf("could not start the check: %w", err)
	}
	data, cut, err := readReport(report)
	if err != nil {
		return out, fmt.Errorf("read the check's report: %w", err)
	}
	out.records, out.badLines = checker.ReadRecords(data)
	out.reportCut = cut
	return out, nil
}

// maxReport bounds how much of the report file is read. The learner's code
// knows where the report is and could fill it; real records, plans and
// samples included, take a few hundred kilobytes.
const maxReport = 32 << 20

// readReport reads the report up to maxReport, ending at the last complete
// line; cut says that more was there.
func readReport(path string) (data []byte, cut bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, maxReport+1))
	if err != nil || len(data) <= maxReport {
		return data, false, err
	}
	data = data[:maxReport]
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	}
	return data, true, nil
}

// runDir is the lesson's folder, where go test runs a test binary; a
// workspace without it (only possible with Replace) runs at the root.
func (b *build) runDir() string {
	dir := filepath.Join(b.opts.Workspace, "exercises", b.lesson.Dir)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return b.opts.Workspace
}
