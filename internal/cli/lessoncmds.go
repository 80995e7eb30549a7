package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/report"
)

// addLessonCommands adds list, check, hint, reset, solution, grade and verify.
func addLessonCommands(root *cobra.Command, f *Factory) {
	root.AddCommand(
		newListCmd(f),
		newCheckCmd(f),
		newHintCmd(f),
		newResetCmd(f),
		newSolutionCmd(f),
		newGradeCmd(f),
		newVerifyCmd(f),
	)
}

// findLesson returns the lesson with the given id; an unknown id is a
// usage error that lists the valid ones.
func findLesson(id string) (lessons.Lesson, error) {
	l, err := lessons.Find(id)
	var unknown *lessons.UnknownLessonError
	if errors.As(err, &unknown) {
		return l, &ExitError{Code: ExitEnvironment, Err: err}
	}
	return l, err
}

// lessonArg accepts at most one lesson id (required when must is set), so
// that a missing or extra argument is a usage error naming the lessons.
func lessonArg(must bool) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 || (must && len(args) == 0) {
			return usageError("%s takes one lesson id; the lessons are: %s", cmd.CommandPath(), strings.Join(lessons.IDs(), ", "))
		}
		return nil
	}
}

// openProgress opens the workspace's progress; a progress file that had
// to be moved aside is a warning on stderr, not a failure.
func openProgress(f *Factory, ws string) (*progress.Progress, error) {
	p, err := progress.Open(ws)
	var recovered *progress.RecoveredError
	if errors.As(err, &recovered) {
		fmt.Fprintln(f.IO.Err, "dblings: warning:", recovered)
		return p, nil
	}
	return p, err
}

// prepareRun is what check and grade do before any check runs: refuse bad
// flags, find the workspace and open its progress.
func prepareRun(f *Factory, rf *runFlags, rep *reportFlags) (report.Format, string, *progress.Progress, error) {
	if err := rf.validate(); err != nil {
		return "", "", nil, err
	}
	format, err := rep.parse()
	if err != nil {
		return "", "", nil, err
	}
	ws, err := f.Workspace()
	if err != nil {
		return "", "", nil, err
	}
	p, err := openProgress(f, ws)
	return format, ws, p, err
}

// defaultLesson is the lesson a command without an id works on: the
// current one, else the first that has not passed yet, else the first.
func defaultLesson(p *progress.Progress) lessons.Lesson {
	all := lessons.Catalog()
	if l, err := lessons.Find(p.Current()); err == nil {
		return l
	}
	for _, l := range all {
		if p.Lesson(l.ID).Status != progress.Passed {
			return l
		}
	}
	return all[0]
}

// runFlags are the flags of the commands that run checks.
type runFlags struct {
	timeout time.Duration
	scale   float64
}

func (r *runFlags) add(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&r.timeout, "timeout", run.DefaultTimeout, "how long each check may run before it is stopped")
	cmd.Flags().Float64Var(&r.scale, "scale", 1, "grow or shrink the lesson data (1 is the size the lessons are written for)")
}

func (r *runFlags) validate() error {
	if r.timeout <= 0 {
		return usageError("--timeout must be positive, e.g. 30s or 2m")
	}
	if !(r.scale > 0) {
		return usageError("--scale must be a positive number, e.g. 0.1 or 2")
	}
	return nil
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
func recordRuns(f *Factory, p *progress.Progress, results []*run.Result) {
	for _, r := range results {
		if r.Verdict == run.Errored || r.Mode != run.Learner {
			continue
		}
		if err := p.RecordRun(r.Lesson.ID, r.Pass(), r.Started.Add(r.Timings.Total())); err != nil {
			fmt.Fprintln(f.IO.Err, "dblings: warning:", err)
		}
	}
}

// maxServers is the most Postgres servers any of the lessons needs.
func maxServers(ls []lessons.Lesson) int {
	n := 1
	for _, l := range ls {
		n = max(n, l.PostgresServers)
	}
	return n
}
