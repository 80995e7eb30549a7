package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

type gradeOptions struct {
	run    runFlags
	report reportFlags
	seed   uint64 // the data's seed, drawn afresh unless --seed is given
}

func newGradeCmd(f *Factory) *cobra.Command {
	opts := &gradeOptions{}
	cmd := &cobra.Command{
		Use:   "grade [lesson...]",
		Short: "Check every lesson and report, for CI",
		Long: `Check every lesson of the workspace (or the lessons named), one after
another on one set of database servers, and write one report: text, JSON
shaped after Exercism's results.json (version 3), or JUnit XML for GitHub's
and GitLab's test reports. Edited check files have no effect.

grade runs on data the code has not seen: a variant of each lesson's data,
drawn afresh for every run from a seed, where the busiest author, the skew
and the ties are not those of "dblings check". Code that reads its facts from
the database passes either way. The report gives the seed, and every
failure a line to run it again on the same data, e.g.

    reproduce: dblings grade --seed 1234 explain-index

--seed N grades on the data of seed N (0 is the data "dblings check" uses).

Every lesson is worth its points (lesson.toml), shared among its check's
assertions: a failed check earns the share of those that held, and the
report ends with the score ("score: 41/60"). Lessons laid by "dblings
catch-up" and exercises still as shipped earn nothing. --learner NAME (or
DBLINGS_LEARNER) names the learner in the JSON and JUnit reports, for
"dblings cohort".

Exit status: 0 only when every lesson passes; 1 when one fails; 2 on bad
usage; 3 when the database servers failed.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("seed") {
				opts.seed = fixtures.RandomSeed()
			}
			return runGrade(cmd.Context(), f, opts, args)
		},
	}
	opts.run.add(cmd)
	opts.report.add(cmd)
	opts.report.addLearner(cmd)
	cmd.Flags().Uint64Var(&opts.seed, "seed", 0, "grade on the data of this seed, to reproduce a report (default: a fresh one per run)")
	return cmd
}

// gradedLessons are the lessons named, or every lesson; an unknown id is a
// usage error that lists the valid ones.
func gradedLessons(ws *workspace.Workspace, ids []string) (lessons.Catalog, error) {
	if len(ids) == 0 {
		return ws.Catalog(), nil
	}
	var chosen lessons.Catalog
	for _, id := range ids {
		l, err := chooseLesson(ws, []string{id})
		if err != nil {
			return nil, err
		}
		chosen = append(chosen, l)
	}
	return chosen, nil
}

func runGrade(ctx context.Context, f *Factory, opts *gradeOptions, ids []string) error {
	format, ws, err := prepareRun(f, &opts.run, &opts.report)
	if err != nil {
		return err
	}
	graded, err := gradedLessons(ws, ids)
	if err != nil {
		return err
	}
	env, release, err := f.Environment(ctx, graded.Needs())
	if err != nil {
		return err
	}
	defer release()
	if f.IO.Interactive {
		fmt.Fprintf(f.IO.Err, "grading on the data of seed %d\n", opts.seed)
	}
	var jobs []run.Job
	for _, l := range graded {
		runOpts := opts.run.options(ws)
		// A pass in grade is worth forging: the check runs out of reach
		// of the judge's credentials.
		runOpts.Env, runOpts.Isolate = env, true
		runOpts.Seed = opts.seed
		// Concurrency lessons are graded with the race detector: a data
		// race that happened to give the right answer is still wrong.
		// check leaves it out, as it costs 2 to 3 s a run (docs/AUTHORING.md).
		runOpts.Race = l.Race
		jobs = append(jobs, run.Job{Lesson: l, Options: runOpts})
	}
	// One line per lesson as it finishes; per-phase progress would come
	// from two goroutines at once, since the next lesson compiles ahead.
	results, err := run.Series(ctx, jobs, func(j run.Job, r *run.Result) {
		if f.IO.Interactive {
			fmt.Fprintf(f.IO.Err, "%s: %s\n", j.Lesson.ID, r.Verdict)
		}
	})
	recordRuns(f, ws, results, false)
	if err != nil {
		return err
	}
	if err := opts.report.write(f, ws, format, results); err != nil {
		return err
	}
	return verdictExit(results)
}
