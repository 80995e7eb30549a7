package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
)

type checkOptions struct {
	lesson string
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
compile, crashes or times out), 2 when the database servers failed.`,
		Args: lessonArg(false),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.lesson = args[0]
			}
			return runCheck(cmd.Context(), f, opts)
		},
	}
	opts.run.add(cmd)
	opts.report.add(cmd)
	return cmd
}

func runCheck(ctx context.Context, f *Factory, opts *checkOptions) error {
	format, ws, p, err := prepareRun(f, &opts.run, &opts.report)
	if err != nil {
		return err
	}
	l := defaultLesson(p)
	if opts.lesson != "" {
		if l, err = findLesson(opts.lesson); err != nil {
			return err
		}
	}
	env, release, err := f.Environment(ctx, l.PostgresServers)
	if err != nil {
		return err
	}
	defer release()

	r, err := run.Check(ctx, l, run.Options{
		Workspace: ws, Env: env, Scale: opts.run.scale, Timeout: opts.run.timeout,
		Progress: phases(f, l),
	})
	if err != nil {
		return err
	}
	results := []*run.Result{r}
	recordRuns(f, p, results)
	if err := opts.report.write(f, format, results); err != nil {
		return err
	}
	return verdictExit(results)
}
