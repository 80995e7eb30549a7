package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
)

type gradeOptions struct {
	run    runFlags
	report reportFlags
}

func newGradeCmd(f *Factory) *cobra.Command {
	opts := &gradeOptions{}
	cmd := &cobra.Command{
		Use:   "grade",
		Short: "Check every lesson and report, for CI",
		Long: `Check every lesson of the workspace, one after another on one set of
database servers, and write one report: text, JSON shaped after Exercism's
results.json (version 3), or JUnit XML for GitHub's and GitLab's test
reports. Edited check files have no effect.

Exit status: 0 only when every lesson passes; 1 when one fails; 2 on bad
usage; 3 when the database servers failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runGrade(cmd.Context(), f, opts) },
	}
	opts.run.add(cmd)
	opts.report.add(cmd)
	opts.report.addLearner(cmd)
	return cmd
}

func runGrade(ctx context.Context, f *Factory, opts *gradeOptions) error {
	format, ws, err := prepareRun(f, &opts.run, &opts.report)
	if err != nil {
		return err
	}
	env, release, err := f.Environment(ctx, ws.Catalog().PostgresServers())
	if err != nil {
		return err
	}
	defer release()
	var jobs []run.Job
	for _, l := range ws.Catalog() {
		runOpts := opts.run.options(ws)
		// A pass in grade is worth forging: the check runs out of reach
		// of the judge's credentials.
		runOpts.Env, runOpts.Isolate = env, true
		jobs = append(jobs, run.Job{Lesson: l, Options: runOpts})
	}
	// One line per lesson as it finishes; per-phase progress would come
	// from two goroutines at once, since the next lesson compiles ahead.
	results, err := run.Series(ctx, jobs, func(j run.Job, r *run.Result) {
		if f.IO.Interactive {
			fmt.Fprintf(f.IO.Err, "%s: %s\n", j.Lesson.ID, r.Verdict)
		}
	})
	recordRuns(f, ws, results)
	if err != nil {
		return err
	}
	if err := opts.report.write(f, ws, format, results); err != nil {
		return err
	}
	return verdictExit(results)
}
