package cli

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

// addLessonCommands adds list, check, hint, reset, catch-up, solution,
// grade, verify and new.
func addLessonCommands(root *cobra.Command, f *Factory) {
	root.AddCommand(
		newListCmd(f),
		newCheckCmd(f),
		newHintCmd(f),
		newResetCmd(f),
		newCatchUpCmd(f),
		newSolutionCmd(f),
		newGradeCmd(f),
		newVerifyCmd(f),
		newNewCmd(f),
	)
}

// lessonArg accepts at most one lesson id (required when must is set), so
// that a missing or extra argument is a usage error naming the lessons.
func lessonArg(f *Factory, must bool) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 || (must && len(args) == 0) {
			ids := ""
			if c, err := f.Catalog(); err == nil {
				ids = "; the lessons are: " + strings.Join(c.IDs(), ", ")
			}
			return usageError("%s takes one lesson id%s", cmd.CommandPath(), ids)
		}
		return nil
	}
}

// chooseLesson is the lesson a command works on: the one named, or else
// the one the learner is on. An unknown id is a usage error that lists the
// valid ones.
func chooseLesson(ws *workspace.Workspace, args []string) (lessons.Lesson, error) {
	if len(args) == 0 {
		return ws.Current(), nil
	}
	l, err := ws.Lesson(args[0])
	var unknown *lessons.UnknownLessonError
	if errors.As(err, &unknown) {
		return l, &ExitError{Code: ExitUsage, Err: err}
	}
	return l, err
}
