package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/report"
	"github.com/dblings/dblings/workspace"
)

// minTimeout is the shortest --timeout accepted: below it even the
// reference solutions cannot finish, and every verdict would be a timeout.
const minTimeout = 5 * time.Second

// runFlags are the flags of the commands that run checks.
type runFlags struct {
	timeout time.Duration
}

func (r *runFlags) add(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&r.timeout, "timeout", run.DefaultTimeout, fmt.Sprintf("how long each check may run before it is stopped (at least %s)", minTimeout))
}

func (r *runFlags) validate() error {
	if r.timeout < minTimeout {
		return usageError("--timeout must be at least %s, e.g. 30s or 2m", minTimeout)
	}
	return nil
}

// options are the runner's options for a check of the workspace.
func (r *runFlags) options(ws *workspace.Workspace) run.Options {
	return run.Options{Workspace: ws.Root(), Source: ws.Source(), Timeout: r.timeout}
}

// reportFlags choose how results are written.
type reportFlags struct {
	format string
	out    string
}

func (r *reportFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.format, "format", string(report.Text), "report format: text, json (Exercism results.json v3) or junit (JUnit XML)")
	cmd.Flags().StringVar(&r.out, "out", "", "write the report to this file instead of standard output")
}

func (r *reportFlags) parse() (report.Format, error) {
	format, err := report.ParseFormat(r.format)
	if err != nil {
		return "", usageError("%v", err)
	}
	return format, nil
}

// write writes the report to --out or standard output.
func (r *reportFlags) write(f *Factory, format report.Format, results []*run.Result) error {
	if r.out == "" {
		return report.Write(f.IO.Out, format, results)
	}
	file, err := os.Create(r.out)
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := report.Write(file, format, results); err != nil {
		file.Close()
		return fmt.Errorf("write the report to %s: %w", r.out, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write the report to %s: %w", r.out, err)
	}
	return nil
}

// prepareRun is what check and grade do before any check runs: refuse bad
// flags and open the workspace.
func prepareRun(f *Factory, rf *runFlags, rep *reportFlags) (report.Format, *workspace.Workspace, error) {
	if err := rf.validate(); err != nil {
		return "", nil, err
	}
	format, err := rep.parse()
	if err != nil {
		return "", nil, err
	}
	ws, err := f.OpenWorkspace()
	return format, ws, err
}

// phases tells a person at a terminal what a check is doing, on stderr;
// scripts get only the report.
func phases(f *Factory, l lessons.Lesson) func(run.Phase) {
	if !f.IO.Interactive {
		return nil
	}
	return func(p run.Phase) { fmt.Fprintf(f.IO.Err, "%s: %s…\n", l.ID, p) }
}

// verdictExit is the exit status for a set of results: an environment
// failure first (the learner is not to blame), then any other failure.
func verdictExit(results []*run.Result) error {
	failed := false
	for _, r := range results {
		if r.Verdict == run.Errored {
			return &ExitError{Code: ExitEnvironment}
		}
		failed = failed || !r.Pass()
	}
	if failed {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// recordRuns saves the learner's verdicts; a check the environment
// stopped is no attempt.
func recordRuns(f *Factory, ws *workspace.Workspace, results []*run.Result) {
	for _, r := range results {
		if r.Verdict == run.Errored || r.Mode != run.Learner {
			continue
		}
		if err := ws.RecordRun(r.Lesson, r.Pass(), r.Started.Add(r.Timings.Total())); err != nil {
			fmt.Fprintln(f.IO.Err, "dblings: warning:", err)
		}
	}
}
