package cli

import (
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
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
	format  string
	out     string
	learner string // grade's --learner
}

func (r *reportFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.format, "format", string(report.Text), "report format: text, json (Exercism results.json v3) or junit (JUnit XML)")
	cmd.Flags().StringVar(&r.out, "out", "", "write the report to this file instead of standard output")
}

// addLearner adds --learner, which names the learner in the report.
func (r *reportFlags) addLearner(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.learner, "learner", os.Getenv("DBLINGS_LEARNER"), "the learner's name in the JSON and JUnit reports, for dblings cohort (env DBLINGS_LEARNER; default: none, cohort then names the learner after the file)")
}

func (r *reportFlags) parse() (report.Format, error) {
	format, err := report.ParseFormat(r.format)
	if err != nil {
		return "", usageError("%v", err)
	}
	if err := validLearner(r.learner); err != nil {
		return "", err
	}
	return format, nil
}

// maxLearner bounds a learner's name: it heads a row of cohort's table.
const maxLearner = 100

// validLearner refuses a name that would garble cohort's table.
func validLearner(name string) error {
	if len(name) > maxLearner || strings.IndexFunc(name, unicode.IsControl) >= 0 || name != strings.TrimSpace(name) {
		return usageError("--learner %q must be a name of at most %d characters, on one line, without spaces around it", name, maxLearner)
	}
	return nil
}

// write writes the report to --out or standard output, with the learner
// and the lessons whose code is not the learner's (see report.Grading):
// caught up, as the progress says after recordRuns, or still the stub.
func (r *reportFlags) write(f *Factory, ws *workspace.Workspace, format report.Format, results []*run.Result) error {
	g := report.Grading{Learner: r.learner, CaughtUp: map[string]bool{}, Untouched: map[string]bool{}}
	for _, res := range results {
		switch {
		case ws.Progress(res.Lesson).Status == progress.CaughtUp:
			g.CaughtUp[res.Lesson.ID] = true
		case untouched(ws, res.Lesson):
			g.Untouched[res.Lesson.ID] = true
		}
	}
	if r.out == "" {
		return g.Write(f.IO.Out, format, results)
	}
	file, err := os.Create(r.out)
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := g.Write(file, format, results); err != nil {
		file.Close()
		return fmt.Errorf("write the report to %s: %w", r.out, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write the report to %s: %w", r.out, err)
	}
	return nil
}

// untouched reports whether l's exercise is still the stub as shipped.
func untouched(ws *workspace.Workspace, l lessons.Lesson) bool {
	stub, err := ws.Stub(l)
	if err != nil {
		return false
	}
	differing, err := ws.Differing(stub)
	return err == nil && len(differing) == 0
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
// stopped is no attempt. With active, each finished check is also the
// learner's activity on its lesson, counted in the time spent on it:
// check's one lesson is, grade's every lesson at once is not.
func recordRuns(f *Factory, ws *workspace.Workspace, results []*run.Result, active bool) {
	record := ws.RecordVerdict
	if active {
		record = ws.RecordRun
	}
	for _, r := range results {
		if r.Verdict == run.Errored || r.Mode != run.Learner {
			continue
		}
		if err := record(r.Lesson, r.Pass(), r.Started.Add(r.Timings.Total())); err != nil {
			fmt.Fprintln(f.IO.Err, "dblings: warning:", err)
		}
	}
}
