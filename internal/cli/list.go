package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/report"
	"github.com/dblings/dblings/workspace"
)

func newListCmd(f *Factory) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the lessons and where you stand on each",
		Long: `List the lessons in curriculum order with their id (what the other
commands take), your status (passed, failed, not tried, or caught up by
"dblings catch-up"), the time you spent on them and their title.
The lesson you are on is marked with an arrow.

Time spent is active time: every activity on a lesson (the lab showing it
to you while you work, a save the lab sees, a check, a hint) adds the time
since your previous one on that lesson, unless that was more than 10
minutes before: a longer gap is a break and counts nothing.

--format json prints the same for scripts and dashboards: per lesson its
id, title, points, status, whether it is current, the hints shown, the
time spent in whole seconds (time_spent_s), and when it last ran, first
passed and was caught up (RFC 3339, left out when it never happened).`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			format, err := parseTextJSON(format)
			if err != nil {
				return err
			}
			return runList(f, format)
		},
	}
	addTextJSONFormat(cmd, &format)
	return cmd
}

// listVersion is the version of list's JSON document: a script checks it
// before reading the rest.
const listVersion = 1

// listJSON is list's JSON document.
type listJSON struct {
	Version int              `json:"version"`
	Current string           `json:"current"`
	Lessons []listLessonJSON `json:"lessons"`
}

// listLessonJSON is one lesson in list's JSON document.
type listLessonJSON struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Points     int       `json:"points"`
	Status     string    `json:"status"`
	Current    bool      `json:"current"`
	HintsShown int       `json:"hints_shown"`
	TimeSpentS int64     `json:"time_spent_s"`
	LastRun    time.Time `json:"last_run,omitzero"`
	SolvedAt   time.Time `json:"solved_at,omitzero"`
	CaughtUpAt time.Time `json:"caught_up_at,omitzero"`
}

func runList(f *Factory, format report.Format) error {
	ws, err := f.OpenWorkspace()
	if err != nil {
		return err
	}
	if format == report.JSON {
		return writeJSON(f.IO.Out, listDocument(ws))
	}
	current := ws.Current()
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tSTATUS\tTIME SPENT\tTITLE")
	for _, l := range ws.Catalog() {
		mark := " "
		if l.ID == current.ID {
			mark = "→"
		}
		p := ws.Progress(l)
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", mark, l.ID, p.Status, progress.FormatSpent(p.Spent), l.Title)
	}
	return tw.Flush()
}

// listDocument is the workspace's progress as list's JSON document.
func listDocument(ws *workspace.Workspace) listJSON {
	current := ws.Current()
	doc := listJSON{Version: listVersion, Current: current.ID, Lessons: []listLessonJSON{}}
	for _, l := range ws.Catalog() {
		p := ws.Progress(l)
		doc.Lessons = append(doc.Lessons, listLessonJSON{
			ID: l.ID, Title: l.Title, Points: l.Points,
			Status: string(p.Status), Current: l.ID == current.ID,
			HintsShown: p.HintsShown,
			TimeSpentS: int64(p.Spent / time.Second),
			LastRun:    p.LastRun.UTC(), SolvedAt: p.SolvedAt.UTC(), CaughtUpAt: p.CaughtUpAt.UTC(),
		})
	}
	return doc
}
