package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newHintCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "hint [lesson]",
		Short: "Show the next hint for a lesson",
		Long: `Show the next hint for a lesson: each call shows one more, from a gentle
nudge to nearly the answer, and dblings remembers how many you have seen.
Without a lesson id, the lesson you are on is used.`,
		Args: lessonArg(false),
		RunE: func(_ *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			return runHint(f, id)
		},
	}
}

func runHint(f *Factory, id string) error {
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	p, err := openProgress(f, ws)
	if err != nil {
		return err
	}
	l := defaultLesson(p)
	if id != "" {
		if l, err = findLesson(id); err != nil {
			return err
		}
	}
	hints := l.Hints()
	if len(hints) == 0 {
		fmt.Fprintf(f.IO.Out, "%s has no hints.\n", l.ID)
		return nil
	}
	i, more, err := p.NextHint(l.ID, len(hints))
	if err != nil {
		return err
	}
	if !more {
		fmt.Fprintf(f.IO.Out, "There are no more hints for %s: you have seen all %d. The last one was:\n\n", l.ID, len(hints))
	} else {
		fmt.Fprintf(f.IO.Out, "Hint %d of %d for %s:\n\n", i+1, len(hints), l.ID)
	}
	fmt.Fprintln(f.IO.Out, hints[i])
	return nil
}
