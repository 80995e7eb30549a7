package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/readiness"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/workspace"
)

type prepareOptions struct {
	check bool
	run   runFlags
}

func newPrepareCmd(f *Factory) *cobra.Command {
	opts := &prepareOptions{}
	cmd := &cobra.Command{
		Use:   "prepare [lesson...] [--check]",
		Short: "Get this machine ready for a workshop, so that it works offline afterwards",
		Long: `Get this machine ready for a workshop, once, while it is online: run the
doctor, get the servers' images (docker pulls them), compile every lesson's
check (which fetches the Go modules and fills the Go build cache) and load
every lesson's data, by running each lesson's untouched stub once. Then
print a readiness report: what is ready, what is missing, and how long a
learner's first check will take. Running it again redoes nothing that is
done. Your files and your progress are not touched.

Name lessons to prepare only those (a workshop that covers four lessons
need not load the data of eighteen); the first one named is the one whose
warm check is timed.

The data stays loaded only in an environment kept by "dblings env up":
start one first and the first check of every lesson copies its data
instead of loading it.

--check verifies the same without changing anything (no download, no
compile, no server started): the Go modules on disk, the build cache, the
docker images, the data in a kept environment.

Exit status: 0 when every lesson can start offline; 1 when one cannot; 2 on
bad usage; 3 when no servers can be had.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, ids []string) error {
			if opts.check {
				return runPrepareCheck(cmd.Context(), f, ids)
			}
			return runPrepare(cmd.Context(), f, opts, ids)
		},
	}
	cmd.Flags().BoolVar(&opts.check, "check", false, "verify readiness without changing anything; exit 1 when a lesson could not start offline")
	opts.run.add(cmd)
	return cmd
}

// runPrepare makes the machine ready: the doctor, then every lesson's stub
// (or those of the lessons named) checked once, then one more check to
// time a warm one.
func runPrepare(ctx context.Context, f *Factory, opts *prepareOptions, ids []string) error {
	if err := opts.run.validate(); err != nil {
		return err
	}
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	chosen, err := named(ws.Catalog(), ids, "prepare")
	if err != nil {
		return err
	}
	if err := doctorSection(ctx, f); err != nil {
		return err
	}
	cfg, err := f.SandboxConfig(chosen.Needs())
	if err != nil {
		return err
	}
	kept := f.keptEnvironment(ctx, cfg) != nil
	start := time.Now()
	env, release, err := f.Environment(ctx, chosen.Needs())
	if err != nil {
		return err
	}
	defer release()
	envTook := time.Since(start)
	fmt.Fprintf(f.IO.Out, "\nServers: %s, %s\n", env.Provider, envLine(kept, envTook))

	results, err := run.Series(ctx, stubJobs(ws, chosen, opts.run, env), func(j run.Job, r *run.Result) {
		fmt.Fprintln(f.IO.Out, lessonReadyLine(r))
	})
	if err != nil {
		return err
	}
	warm, err := run.Check(ctx, chosen[0], stubJobs(ws, chosen[:1], opts.run, env)[0].Options)
	if err != nil {
		return err
	}
	return prepareSummary(f, results, warm, kept, envTook)
}

// stubJobs check each lesson's pristine stub: it compiles the check and
// loads the data as a learner's first check would, and records nothing.
func stubJobs(ws *workspace.Workspace, ls lessons.Catalog, rf runFlags, env *sandbox.Env) []run.Job {
	var jobs []run.Job
	for _, l := range ls {
		o := rf.options(ws)
		o.Env, o.Mode = env, run.Stub
		jobs = append(jobs, run.Job{Lesson: l, Options: o})
	}
	return jobs
}

// ready reports whether a stub's check shows its lesson can start: it
// compiled and its servers and data answered. (The stub's own verdict,
// failed, is the expected one.)
func ready(r *run.Result) bool { return r.Verdict != run.CompileError && r.Verdict != run.Errored }

func lessonReadyLine(r *run.Result) string {
	t := r.Timings
	if !ready(r) {
		return fmt.Sprintf("  ✗ %s: %s", r.Lesson.ID, r.Message)
	}
	return fmt.Sprintf("  ✓ %s: compiled in %s, data ready in %s, ran in %s", r.Lesson.ID, seconds(t.Compile), seconds(t.Prepare), seconds(t.Run))
}

func envLine(kept bool, took time.Duration) string {
	if kept {
		return "the environment kept by dblings env up: the data loaded now stays loaded"
	}
	return fmt.Sprintf("started in %s for this run and stopped after it (dblings env up keeps servers and data warm for the workshop)", seconds(took))
}

// prepareSummary says how many lessons are ready and what a learner's
// first check will cost, from a warm check measured just now.
func prepareSummary(f *Factory, results []*run.Result, warm *run.Result, kept bool, envTook time.Duration) error {
	n := 0
	for _, r := range results {
		if ready(r) {
			n++
		}
	}
	fmt.Fprintf(f.IO.Out, "\nReady: %d of %d lessons start offline.\n", n, len(results))
	t := warm.Timings
	fmt.Fprintf(f.IO.Out, "A learner's first check of %s: about %s with dblings env up running (compile %s, data %s, run %s, learner role and witness %s)",
		warm.Lesson.ID, seconds(t.Total()), seconds(t.Compile), seconds(t.Prepare), seconds(t.Run), seconds(t.Role+t.Witness))
	if !kept {
		first := results[0].Timings.Prepare
		fmt.Fprintf(f.IO.Out, "; about %s without it (servers %s, data %s)", seconds(envTook+first+t.Total()-t.Prepare), seconds(envTook), seconds(first))
	}
	fmt.Fprintln(f.IO.Out, ".")
	if n < len(results) {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

// doctorSection prints the doctor's report under a heading.
func doctorSection(ctx context.Context, f *Factory) error {
	fmt.Fprintln(f.IO.Out, "This machine:")
	return runDoctor(ctx, f)
}

// runPrepareCheck verifies readiness without changing anything.
func runPrepareCheck(ctx context.Context, f *Factory, ids []string) error {
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	chosen, err := named(ws.Catalog(), ids, "prepare")
	if err != nil {
		return err
	}
	if err := doctorSection(ctx, f); err != nil {
		return err
	}
	cfg, err := f.SandboxConfig(chosen.Needs())
	if err != nil {
		return err
	}
	provider, err := sandbox.Choose(ctx, cfg)
	if err != nil {
		return environmentError(err)
	}
	serversOK := imagesLine(ctx, f, provider, cfg)
	kept := f.keptEnvironment(ctx, cfg)
	fmt.Fprintln(f.IO.Out, "\nLessons:")
	n := 0
	for _, l := range chosen {
		ok := checkLesson(ctx, f, ws, l, kept)
		if ok && serversOK {
			n++
		}
	}
	fmt.Fprintf(f.IO.Out, "\nReady: %d of %d lessons start offline.\n", n, len(chosen))
	if n < len(chosen) {
		return &ExitError{Code: ExitFailed, Err: errors.New("not ready: dblings prepare, run online, gets what is missing")}
	}
	return nil
}

// imagesLine says whether the provider's servers start without a
// registry; only docker's can need one.
func imagesLine(ctx context.Context, f *Factory, provider sandbox.Provider, cfg sandbox.Config) bool {
	if provider != sandbox.Docker {
		fmt.Fprintf(f.IO.Out, "✓ %-18s %s\n", "server images", "none needed by the "+string(provider)+" environment")
		return true
	}
	missing, err := readiness.MissingImages(ctx, cfg)
	switch {
	case err != nil:
		fmt.Fprintf(f.IO.Out, "✗ %-18s %v\n", "server images", err)
		return false
	case len(missing) > 0:
		fmt.Fprintf(f.IO.Out, "✗ %-18s not pulled: %v (dblings prepare pulls them)\n", "server images", missing)
		return false
	}
	fmt.Fprintf(f.IO.Out, "✓ %-18s %v pulled\n", "server images", cfg.Images())
	return true
}

// checkLesson prints whether l's check compiles offline and how warm it
// is, and reports whether it can start offline.
func checkLesson(ctx context.Context, f *Factory, ws *workspace.Workspace, l lessons.Lesson, kept *sandbox.Env) bool {
	b := readiness.CheckBuild(ctx, ws.Root(), l, ws.Source())
	if b.Problem != "" {
		fmt.Fprintf(f.IO.Out, "  ✗ %s: %s\n", l.ID, b.Problem)
		return false
	}
	build := "compiled"
	if b.Stale > 0 {
		build = fmt.Sprintf("%d packages to compile on the first check", b.Stale)
	}
	data := "data loads on the first check"
	if kept != nil {
		if ok, err := readiness.DataLoaded(ctx, kept, l); err == nil && ok {
			data = "data loaded in the kept environment"
		}
	}
	fmt.Fprintf(f.IO.Out, "  ✓ %s: %s, %s\n", l.ID, build, data)
	return true
}
