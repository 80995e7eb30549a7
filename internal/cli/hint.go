package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newHintCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "hint [lesson]",
		Short: "Show the next hint for a lesson",
		Long: `Show the next hint for a lesson: each call shows one more, from a gentle
nudge to nearly the answer, and dblings remembers how many you have seen.
Without a lesson id, the lesson you are on is used.`,
		Args: lessonArg(f, false),
		RunE: func(_ *cobra.Command, args []string) error { return runHint(f, args) },
	}
}

func runHint(f *Factory, args []string) error {
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	l, err := chooseLesson(ws, args)
	if err != nil {
		return err
	}
	h, err := ws.NextHint(l, l.Hints(), time.Now())
	if err != nil {
		return err
	}
	if h.Repeated {
		fmt.Fprintf(f.IO.Out, "There are no more hints for %s: you have seen all %d. The last one was:\n\n", l.ID, h.Total)
	} else {
		fmt.Fprintf(f.IO.Out, "Hint %d of %d for %s:\n\n", h.Number, h.Total, l.ID)
	}
	fmt.Fprintln(f.IO.Out, h.Text)
	return nil
}
