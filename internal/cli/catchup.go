package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/workspace"
)

func newCatchUpCmd(f *Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "catch-up <lesson>",
		Short: "Lay the reference solutions of every lesson before <lesson>, to join a workshop late",
		Long: `Lay the reference solution of every lesson before <lesson> that you have
not passed, mark those lessons "caught up" (not passed: list, the lab and
grade show them apart, and they earn no points), and put you on <lesson>.

Lessons you have passed are left as they are. Every file that is
overwritten is first copied to .dblings/backup/, one folder per lesson.
You are asked to confirm unless --yes is given (without a terminal, --yes
is required).

Exit status: 0 when caught up (or nothing was left to do), 1 when a file
could not be written, 2 on bad usage or without --yes and no terminal.`,
		Args: lessonArg(f, true),
		RunE: func(_ *cobra.Command, args []string) error { return runCatchUp(f, args, yes) },
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "catch up without asking")
	return cmd
}

func runCatchUp(f *Factory, args []string, yes bool) error {
	start := time.Now()
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	target, err := chooseLesson(ws, args)
	if err != nil {
		return err
	}
	plan, err := ws.PlanCatchUp(target)
	if err != nil {
		return err
	}
	if plan.Pending() == 0 {
		fmt.Fprintf(f.IO.Out, "Nothing to catch up: every lesson before %s has passed or is caught up.\n", target.ID)
		return ws.Visit(target, time.Now())
	}
	if !yes {
		if ok, err := confirm(f, catchUpQuestion(plan)); err != nil || !ok {
			return err
		}
	}
	done, err := ws.CatchUp(plan, time.Now())
	printCaughtUp(f, plan, done)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IO.Out, "You are on %s (caught up in %s).\n", target.ID, time.Since(start).Round(time.Millisecond))
	return nil
}

// catchUpQuestion names what would be overwritten, so that the learner
// knows what the yes costs.
func catchUpQuestion(plan workspace.CatchUpPlan) string {
	over := plan.Overwrites()
	if len(over) == 0 {
		return fmt.Sprintf("Mark the %d lessons before %s caught up (their files already hold the reference solutions)? [y/N] ", plan.Pending(), plan.Target.ID)
	}
	return fmt.Sprintf("Lay the reference solutions over %s? Your versions will be kept in .dblings/backup/. [y/N] ", strings.Join(paths(over), ", "))
}

// printCaughtUp says, in lesson order, what happened to each lesson.
func printCaughtUp(f *Factory, plan workspace.CatchUpPlan, done []workspace.CaughtUp) {
	written := map[string]workspace.Written{}
	for _, d := range done {
		written[d.Lesson.ID] = d.Written
	}
	for _, s := range plan.Steps {
		w, ok := written[s.Lesson.ID]
		switch {
		case s.Passed:
			fmt.Fprintf(f.IO.Out, "  %s: passed, left as it is\n", s.Lesson.ID)
		case s.Already:
			fmt.Fprintf(f.IO.Out, "  %s: caught up already\n", s.Lesson.ID)
		case !ok:
			fmt.Fprintf(f.IO.Out, "  %s: not caught up\n", s.Lesson.ID)
		case len(w.Files) == 0:
			fmt.Fprintf(f.IO.Out, "  %s: caught up (the reference solution was already there)\n", s.Lesson.ID)
		case w.Backup != "":
			fmt.Fprintf(f.IO.Out, "  %s: caught up; your version is in %s\n", s.Lesson.ID, w.Backup)
		default:
			fmt.Fprintf(f.IO.Out, "  %s: caught up\n", s.Lesson.ID)
		}
	}
}
