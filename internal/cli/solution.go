package cli

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/solutions"
)

func newSolutionCmd(f *Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "solution <lesson>",
		Short: "Show the reference solution of a lesson you have passed",
		Long: `Print the reference solution of a lesson, to compare with your own. It is
shown once you have passed the lesson's check; --force shows it anyway.`,
		Args: lessonArg(true),
		RunE: func(_ *cobra.Command, args []string) error { return runSolution(f, args[0], force) },
	}
	cmd.Flags().BoolVar(&force, "force", false, "show the solution even though the lesson has not passed yet")
	return cmd
}

func runSolution(f *Factory, id string, force bool) error {
	l, err := findLesson(id)
	if err != nil {
		return err
	}
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	p, err := openProgress(f, ws)
	if err != nil {
		return err
	}
	if !force && !p.Lesson(l.ID).Solved() {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("the solution of %s opens once its check passes (dblings check %s); pass --force to see it now", l.ID, l.ID)}
	}
	names, err := fs.Glob(solutions.FS(), l.Dir+"/*.go")
	if err != nil || len(names) == 0 {
		return fmt.Errorf("this dblings has no solution for %s built in", l.ID)
	}
	for i, name := range names {
		data, err := fs.ReadFile(solutions.FS(), name)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Fprintln(f.IO.Out)
		}
		fmt.Fprintf(f.IO.Out, "// %s\n%s", path.Join("solutions", name), data)
	}
	return nil
}
