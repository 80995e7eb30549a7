package cli

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/report"
)

// addTextJSONFormat adds --format text|json to a command whose output is
// a listing for people or, for scripts and dashboards, a JSON document.
// The names are report's, so that every command spells them alike.
func addTextJSONFormat(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "format", string(report.Text), "output format: text, or json for scripts and dashboards")
}

// parseTextJSON turns the flag's value into report.Text or report.JSON.
func parseTextJSON(s string) (report.Format, error) {
	switch f := report.Format(s); f {
	case report.Text, report.JSON:
		return f, nil
	}
	return "", usageError("unknown format %q: choose text or json", s)
}

// writeJSON writes v indented, the way grade's and cohort's JSON are read
// by people as often as by programs.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
