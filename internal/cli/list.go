package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newListCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the lessons and where you stand on each",
		Long: `List the lessons in curriculum order with their id (what the other
commands take), your status (passed, failed, not tried, or caught up by
"dblings catch-up") and their title.
The lesson you are on is marked with an arrow.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runList(f) },
	}
}

func runList(f *Factory) error {
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	current := ws.Current()
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tSTATUS\tTITLE")
	for _, l := range ws.Catalog() {
		mark := " "
		if l.ID == current.ID {
			mark = "→"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\n", mark, l.ID, ws.Progress(l).Status, l.Title)
	}
	return tw.Flush()
}
