package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
)

type checkOptions struct {
	run    runFlags
	report reportFlags
}

func newCheckCmd(f *Factory) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [lesson]",
		Short: "Check your code for a lesson against real databases",
		Long: `Run a lesson's check on your code: it is compiled with the lesson's own
check files (edits to check_test.go have no effect), run against a fresh
copy of the lesson's data, and judged with evidence. Without a lesson id,
the lesson you are on is checked.

Exit status: 0 when the check passes, 1 when it fails (or the code does not
compile, crashes or times out), 2 on bad usage, 3 when the database servers
failed.`,
		Args: lessonArg(f, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), f, opts, args)
		},
	}
	opts.run.add(cmd)
	opts.report.add(cmd)
	return cmd
}

func runCheck(ctx context.Context, f *Factory, opts *checkOptions, args []string) error {
	format, ws, err := prepareRun(f, &opts.run, &opts.report)
	if err != nil {
		return err
	}
	l, err := chooseLesson(ws, args)
	if err != nil {
		return err
	}
	if err := ws.RequireExercise(l); err != nil {
		return &ExitError{Code: ExitFailed, Err: err}
	}
	env, release, err := f.Environment(ctx, l.Needs())
	if err != nil {
		return err
	}
	defer release()
	runOpts := opts.run.options(ws)
	runOpts.Env, runOpts.Progress = env, phases(f, l)
	r, err := run.Check(ctx, l, runOpts)
	if err != nil {
		return err
	}
	results := []*run.Result{r}
	recordRuns(f, ws, results, true)
	if err := opts.report.write(f, ws, format, results); err != nil {
		return err
	}
	return verdictExit(results)
}
