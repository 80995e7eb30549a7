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

func newVerifyCmd(f *Factory) *cobra.Command {
	flags := &runFlags{}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Prove every lesson: solutions pass, untouched stubs fail (for authors)",
		Long: `Check every lesson twice, with the files built into dblings rather than the
workspace's: the reference solution must pass, and the untouched stub must
compile and fail with a message (a check the stub passes proves nothing).
Prints a table, then the details of every lesson that is not as expected.

Exit status: 0 only when every lesson is as expected; 1 otherwise; 2 on
bad usage; 3 when the database servers failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runVerify(cmd.Context(), f, flags) },
	}
	flags.add(cmd)
	return cmd
}

// verified is one lesson's two runs.
type verified struct {
	lesson         lessons.Lesson
	solution, stub *run.Result
}

// ok reports whether the lesson is as it must be.
func (v verified) ok() bool { return v.solution.Pass() && v.stub.Verdict == run.Failed }

func runVerify(ctx context.Context, f *Factory, flags *runFlags) error {
	if err := flags.validate(); err != nil {
		return err
	}
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	all := ws.Catalog()
	env, release, err := f.Environment(ctx, all.PostgresServers())
	if err != nil {
		return err
	}
	defer release()

	var jobs []run.Job
	for _, l := range all {
		for _, mode := range []run.Mode{run.Solution, run.Stub} {
			runOpts := flags.options(ws)
			runOpts.Env, runOpts.Mode = env, mode
			jobs = append(jobs, run.Job{Lesson: l, Options: runOpts})
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
	var rows []verified
	for i := 0; i+1 < len(results); i += 2 {
		rows = append(rows, verified{lesson: all[i/2], solution: results[i], stub: results[i+1]})
	}
	if err := printVerifyTable(f, rows); err != nil {
		return err
	}
	return verifyExit(rows)
}

func printVerifyTable(f *Factory, rows []verified) error {
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LESSON\tSOLUTION\tSTUB\t")
	for _, v := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.lesson.ID,
			expect(v.solution, v.solution.Pass()), expect(v.stub, v.stub.Verdict == run.Failed), timingNote(v))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	printVerifyCount(f, rows)
	for _, v := range rows {
		if v.ok() {
			continue
		}
		fmt.Fprintf(f.IO.Out, "\n%s is not as expected:\n", v.lesson.ID)
		if !v.solution.Pass() {
			fmt.Fprintln(f.IO.Out, "the reference solution must pass:")
			if err := report.WriteText(f.IO.Out, []*run.Result{v.solution}); err != nil {
				return err
			}
		}
		if v.stub.Verdict != run.Failed {
			fmt.Fprintln(f.IO.Out, "the untouched stub must compile and fail its check:")
			if err := report.WriteText(f.IO.Out, []*run.Result{v.stub}); err != nil {
				return err
			}
		}
	}
	return nil
}

// printVerifyCount ends the table with the usual closing line of a test
// run, so CI logs read like any other: each solution and each stub counts
// as one test, passed when its verdict is the expected one.
func printVerifyCount(f *Factory, rows []verified) {
	passed := 0
	for _, v := range rows {
		if v.solution.Pass() {
			passed++
		}
		if v.stub.Verdict == run.Failed {
			passed++
		}
	}
	fmt.Fprintf(f.IO.Out, "verify: %d passed, %d failed\n", passed, 2*len(rows)-passed)
}

// expect shows a verdict with ✓ when it is the expected one.
func expect(r *run.Result, ok bool) string {
	if ok {
		return "✓ " + string(r.Verdict)
	}
	return "✗ " + string(r.Verdict)
}

func timingNote(v verified) string {
	t := v.solution.Timings
	return fmt.Sprintf("(solution: compile %.1fs, run %.1fs)", t.Compile.Seconds(), t.Run.Seconds())
}

func verifyExit(rows []verified) error {
	bad := 0
	for _, v := range rows {
		if v.solution.Verdict == run.Errored || v.stub.Verdict == run.Errored {
			return &ExitError{Code: ExitEnvironment, Err: fmt.Errorf("the database servers failed while checking %s; see above", v.lesson.ID)}
		}
		if !v.ok() {
			bad++
		}
	}
	if bad > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d of %d lessons are not as expected", bad, len(rows))}
	}
	return nil
}
