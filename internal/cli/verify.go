package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/report"
)

type verifyOptions struct {
	run    runFlags
	repeat int
}

func newVerifyCmd(f *Factory) *cobra.Command {
	opts := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify [lesson...]",
		Short: "Prove every lesson: solutions pass, untouched stubs fail (for authors)",
		Long: `Check every lesson (or the lessons named) twice, with the files built into
dblings rather than the workspace's: the reference solution must pass, and
the untouched stub must compile and fail with a message (a check the stub
passes proves nothing). Prints a table, then the details of every lesson
that is not as expected.

With --pack DIR it proves that pack instead: its lessons' solutions pass,
their stubs fail, and every answer in lessons/NN-id/answers/ gets the
verdict it declares (see docs/AUTHORING.md), all from the pack's own files.

--repeat N does it N times and counts, per lesson, the runs whose verdict
flipped: a verdict that depends on the machine's load is a defect of the
check, to be found before a workshop does.

Exit status: 0 only when every run of every lesson is as expected; 1
otherwise; 2 on bad usage; 3 when the database servers failed.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runVerify(cmd.Context(), f, opts, args) },
	}
	opts.run.add(cmd)
	cmd.Flags().IntVar(&opts.repeat, "repeat", 1, "how many times to run every solution and stub")
	return cmd
}

// verified is one lesson's runs: its solution's and its stub's, in order.
type verified struct {
	lesson           lessons.Lesson
	solutions, stubs []*run.Result
}

func solutionOK(r *run.Result) bool { return r.Pass() }
func stubOK(r *run.Result) bool     { return r.Verdict == run.Failed }

// flips counts the runs that were not as expected.
func (v verified) flips() int {
	return len(v.solutions) - count(v.solutions, solutionOK) + len(v.stubs) - count(v.stubs, stubOK)
}

func count(results []*run.Result, ok func(*run.Result) bool) int {
	n := 0
	for _, r := range results {
		if ok(r) {
			n++
		}
	}
	return n
}

func runVerify(ctx context.Context, f *Factory, opts *verifyOptions, ids []string) error {
	if err := opts.run.validate(); err != nil {
		return err
	}
	if opts.repeat < 1 {
		return usageError("--repeat must be at least 1")
	}
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	all, err := named(f.verifiedLessons(ws), ids, "verify")
	if err != nil {
		return err
	}
	env, release, err := f.Environment(ctx, all.Needs())
	if err != nil {
		return err
	}
	defer release()

	var jobs []run.Job
	for range opts.repeat {
		for _, l := range all {
			for _, mode := range []run.Mode{run.Solution, run.Stub} {
				runOpts := opts.run.options(ws)
				runOpts.Env, runOpts.Mode = env, mode
				jobs = append(jobs, run.Job{Lesson: l, Options: runOpts})
			}
		}
	}
	results, err := run.Series(ctx, jobs, func(j run.Job, r *run.Result) {
		if f.IO.Interactive {
			fmt.Fprintf(f.IO.Err, "%s (%s): %s\n", j.Lesson.ID, j.Options.Mode, r.Verdict)
		}
	})
	if err != nil {
		return err
	}
	rows := make([]verified, len(all))
	for i, l := range all {
		rows[i].lesson = l
	}
	for i, r := range results {
		row := &rows[(i/2)%len(all)]
		if i%2 == 0 {
			row.solutions = append(row.solutions, r)
		} else {
			row.stubs = append(row.stubs, r)
		}
	}
	if err := printVerifyTable(f, rows); err != nil {
		return err
	}
	answerRuns, err := f.verifyPackAnswers(ctx, ws, env, opts.run)
	if err != nil {
		return err
	}
	if err := verifyExit(rows); err != nil {
		return err
	}
	return answersExit(answerRuns)
}

// named are the lessons of the catalog with the ids given, in that order;
// all of them when none is given. verb is what the lessons are named for,
// in the usage error that an unknown id gets.
func named(catalog lessons.Catalog, ids []string, verb string) (lessons.Catalog, error) {
	if len(ids) == 0 {
		return catalog, nil
	}
	var chosen lessons.Catalog
	for _, id := range ids {
		i := catalog.Index(id)
		if i < 0 {
			return nil, usageError("there is no lesson %q to %s; \"dblings list\" shows the lessons", id, verb)
		}
		chosen = append(chosen, catalog[i])
	}
	return chosen, nil
}

func printVerifyTable(f *Factory, rows []verified) error {
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LESSON\tSOLUTION\tSTUB\tFLIPS\t")
	for _, v := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", v.lesson.ID,
			expect(v.solutions, solutionOK, run.Passed), expect(v.stubs, stubOK, run.Failed), v.flips(), timingNote(v))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	printVerifyCount(f, rows)
	for _, v := range rows {
		if err := printUnexpected(f, v); err != nil {
			return err
		}
	}
	return nil
}

// printUnexpected shows the first run of a lesson's solution and stub that
// was not as expected.
func printUnexpected(f *Factory, v verified) error {
	if v.flips() == 0 {
		return nil
	}
	fmt.Fprintf(f.IO.Out, "\n%s is not as expected:\n", v.lesson.ID)
	for _, part := range []struct {
		what    string
		results []*run.Result
		ok      func(*run.Result) bool
	}{
		{"the reference solution must pass:", v.solutions, solutionOK},
		{"the untouched stub must compile and fail its check:", v.stubs, stubOK},
	} {
		for _, r := range part.results {
			if !part.ok(r) {
				fmt.Fprintln(f.IO.Out, part.what)
				if err := report.WriteText(f.IO.Out, []*run.Result{r}); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// printVerifyCount ends the table with the usual closing line of a test
// run, so CI logs read like any other: each run of a solution or a stub
// counts as one test, passed when its verdict is the expected one.
func printVerifyCount(f *Factory, rows []verified) {
	passed, total := 0, 0
	for _, v := range rows {
		passed += count(v.solutions, solutionOK) + count(v.stubs, stubOK)
		total += len(v.solutions) + len(v.stubs)
	}
	fmt.Fprintf(f.IO.Out, "verify: %d passed, %d failed\n", passed, total-passed)
}

// expect shows a lesson's runs of one kind: the verdict with ✓ when every
// run had the expected one, else how many did.
func expect(results []*run.Result, ok func(*run.Result) bool, want run.Verdict) string {
	good := count(results, ok)
	switch {
	case good == len(results) && len(results) == 1:
		return "✓ " + string(want)
	case good == len(results):
		return fmt.Sprintf("✓ %s %d/%d", want, good, len(results))
	case len(results) == 1:
		return "✗ " + string(results[0].Verdict)
	}
	return fmt.Sprintf("✗ %s %d/%d", want, good, len(results))
}

func timingNote(v verified) string {
	t := v.solutions[0].Timings
	return fmt.Sprintf("(solution: compile %.1fs, run %.1fs)", t.Compile.Seconds(), t.Run.Seconds())
}

func verifyExit(rows []verified) error {
	bad := 0
	for _, v := range rows {
		for _, r := range append(append([]*run.Result{}, v.solutions...), v.stubs...) {
			if r.Verdict == run.Errored {
				return &ExitError{Code: ExitEnvironment, Err: fmt.Errorf("the database servers failed while checking %s; see above", v.lesson.ID)}
			}
		}
		if v.flips() > 0 {
			bad++
		}
	}
	if bad > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d of %d lessons are not as expected", bad, len(rows))}
	}
	return nil
}
