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
	"strings"
	"sync"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/witness"
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
	start := time.Now()
	b.opts.progress(PhasePreparing)
	st, err := makeStage(ctx, b.lesson, b.opts)
	if err != nil {
		return nil, err
	}
	return b.runOn(ctx, st, b.compile+time.Since(start))
}

// stage is what a check needs besides its binary: its databases, made
// ready, and the second witness's first look at them. Making it touches no
// compiled code, so Check makes it while the code compiles.
type stage struct {
	dbs      *databases // nil when they could not be made ready
	judge    witness.Judge
	timings  Timings // Prepare and Witness
	warnings []string
	failed   string // why the databases are not ready: an Errored verdict
}

// makeStage removes what killed checks left, prepares the databases and
// lets the witness look. The error is for a cancelled ctx only.
func makeStage(ctx context.Context, l lessons.Lesson, opts Options) (*stage, error) {
	st := &stage{}
	start := time.Now()
	// Checks killed before they could clean up left their databases,
	// folders and processes; remove them before adding our own (the
	// databases on the servers this check uses: prepareDatabases).
	if err := reapHere(); err != nil && ctx.Err() == nil {
		st.warnings = append(st.warnings, reapWarning(err))
	}
	dbs, err := prepareDatabases(ctx, l, opts)
	st.timings.Prepare = time.Since(start)
	if dbs != nil && dbs.reapErr != nil && ctx.Err() == nil {
		st.warnings = append(st.warnings, reapWarning(dbs.reapErr))
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		st.failed = err.Error()
		return st, nil
	}
	st.timings.Prepare -= dbs.roleTime
	looked := time.Now()
	st.judge, err = watch(ctx, l, dbs)
	st.timings.Witness = time.Since(looked)
	if err != nil {
		st.warnings = append(st.warnings, dbs.release(context.WithoutCancel(ctx))...)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		st.failed = err.Error()
		return st, nil
	}
	if err := dbs.lag(ctx, opts.Env, l.ReplicaLag); err != nil {
		st.warnings = append(st.warnings, dbs.release(context.WithoutCancel(ctx))...)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		st.failed = err.Error()
		return st, nil
	}
	st.timings.Witness = time.Since(looked)
	st.dbs = dbs
	return st, nil
}

func reapWarning(err error) string {
	return "could not remove what earlier, killed checks left behind: " + err.Error()
}

// release removes the stage's databases, if it has any, and returns the
// problems it met.
func (st *stage) release(ctx context.Context) []string {
	if st == nil || st.dbs == nil {
		return nil
	}
	return st.dbs.release(context.WithoutCancel(ctx))
}

// runOn runs the compiled check on a stage, judges it and releases the
// stage; before is what the check took until then (the compile and the
// stage, less their overlap).
func (b *build) runOn(ctx context.Context, st *stage, before time.Duration) (*Result, error) {
	start := time.Now()
	res := b.result(Passed, "")
	res.Warnings = append(res.Warnings, st.warnings...)
	res.Timings.Prepare, res.Timings.Witness = st.timings.Prepare, st.timings.Witness
	defer func() { res.Timings.Elapsed = before + time.Since(start) }()
	if st.dbs == nil {
		res.Verdict, res.Message = Errored, st.failed
		return res, nil
	}
	dbs := st.dbs
	res.Timings.Role = dbs.roleTime
	defer func() {
		start, roles := time.Now(), dbs.roleTime
		res.Warnings = append(res.Warnings, st.release(ctx)...)
		res.Timings.Cleanup = time.Since(start) - (dbs.roleTime - roles)
		res.Timings.Role = dbs.roleTime
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
	heard := time.Now()
	facts, err := testify(ctx, dbs, st.judge)
	res.Timings.Witness += time.Since(heard)
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
	var socket string
	if dbs.vault != nil {
		var err error
		if socket, err = dbs.vault.serve(b.dir); err != nil {
			return &outcome{}, &EnvironmentError{Step: "opening the backup vault", Err: err}
		}
		defer dbs.vault.shutdown()
	}
	given, err := dbs.environ(report, socket)
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
	tool := test2json(b.dir)
	cmd := exec.CommandContext(rctx, tool[0], append(append(tool[1:], "-t", "-p", path.Join("exercises", b.lesson.Dir)), argv...)...)
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

// goTest2JSON runs the go command's test2json through the go command.
var goTest2JSON = []string{"go", "tool", "test2json"}

// test2jsonTool is where the go command keeps its test2json tool, looked
// up once per process: "go tool test2json" looks the tool up in the build
// cache on every call (the toolchain no longer ships it built), which cost
// a third of a second of CPU per check, against 25 ms for running it.
var test2jsonTool struct {
	once sync.Once
	path string
}

// test2json is the command line that runs test2json: the tool itself when
// it was found and is still there (a cache trimmed since would have removed
// it), the go command otherwise. The lookup runs with the environment of
// the check in dir, so that the go command's work folder is made in the
// check's folder and swept with it if dblings is killed meanwhile.
func test2json(dir string) []string {
	test2jsonTool.once.Do(func() {
		cmd := exec.Command("go", "tool", "-n", "test2json")
		cmd.Env = checkEnviron(dir)
		if out, err := cmd.Output(); err == nil {
			test2jsonTool.path = strings.TrimSpace(string(out))
		}
	})
	if p := test2jsonTool.path; p != "" {
		if _, err := os.Stat(p); err == nil {
			return []string{p}
		}
	}
	return goTest2JSON
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
