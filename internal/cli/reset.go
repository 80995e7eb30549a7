package cli

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/workspace"
)

func newResetCmd(f *Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset <lesson>",
		Short: "Put a lesson's exercise back to its original stub",
		Long: `Restore the files of a lesson's exercise to the stub dblings shipped with.
Only the stub's own files are written; anything else in the folder is left
alone. Your version is first copied to .dblings/backup/, and you are asked
to confirm unless --yes is given (without a terminal, --yes is required).`,
		Args: lessonArg(f, true),
		RunE: func(_ *cobra.Command, args []string) error { return runReset(f, args, yes) },
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "reset without asking")
	return cmd
}

func runReset(f *Factory, args []string, yes bool) error {
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	l, err := chooseLesson(ws, args)
	if err != nil {
		return err
	}
	stub, err := ws.Stub(l)
	if err != nil {
		return err
	}
	changed, err := ws.Differing(stub)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		fmt.Fprintf(f.IO.Out, "exercises/%s is already the original stub; nothing to reset.\n", l.Dir)
		return nil
	}
	if !yes {
		question := fmt.Sprintf("Reset %s to the original stub? Your version will be kept in .dblings/backup/. [y/N] ", strings.Join(paths(changed), ", "))
		if ok, err := confirm(f, question); err != nil || !ok {
			return err
		}
	}
	written, err := ws.Reset(l)
	for _, p := range written.Files {
		fmt.Fprintf(f.IO.Out, "Reset %s.\n", p)
	}
	if written.Backup != "" {
		fmt.Fprintf(f.IO.Out, "Your version is in %s.\n", written.Backup)
	}
	return err
}

func paths(files []workspace.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Path
	}
	return out
}

// confirm asks a yes/no question; without a terminal it refuses, since
// nobody can answer.
func confirm(f *Factory, question string) (bool, error) {
	if !f.IO.Interactive {
		return false, usageError("this would overwrite your work and there is no terminal to ask; pass --yes to confirm")
	}
	fmt.Fprint(f.IO.Err, question)
	answer, err := bufio.NewReader(f.IO.In).ReadString('\n')
	if err != nil && answer == "" {
		return false, usageError("no answer; nothing was changed (pass --yes to skip the question)")
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true, nil
	}
	fmt.Fprintln(f.IO.Out, "Nothing was changed.")
	return false, nil
}
