package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newSolutionCmd(f *Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "solution <lesson>",
		Short: "Show the reference solution of a lesson you have passed",
		Long: `Print the reference solution of a lesson, to compare with your own. It is
shown once you have passed the lesson's check; --force shows it anyway.`,
		Args: lessonArg(f, true),
		RunE: func(_ *cobra.Command, args []string) error { return runSolution(f, args, force) },
	}
	cmd.Flags().BoolVar(&force, "force", false, "show the solution even though the lesson has not passed yet")
	return cmd
}

func runSolution(f *Factory, args []string, force bool) error {
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	l, err := chooseLesson(ws, args)
	if err != nil {
		return err
	}
	if !force && !ws.Progress(l).Solved() {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("the solution of %s opens once its check passes (dblings check %s); pass --force to see it now", l.ID, l.ID)}
	}
	files, err := ws.Solution(l)
	if err != nil {
		return err
	}
	for i, file := range files {
		if i > 0 {
			fmt.Fprintln(f.IO.Out)
		}
		fmt.Fprintf(f.IO.Out, "// %s (reference solution)\n%s", file.Path, file.Content)
	}
	return nil
}
