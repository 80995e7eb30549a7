package cohort

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Format names an output format of a roll-up.
type Format string

// The formats.
const (
	Text     Format = "text"
	Markdown Format = "md"
	CSV      Format = "csv"
	JSON     Format = "json"
)

// FormatError is an unknown format name.
type FormatError struct{ Name string }

func (e *FormatError) Error() string {
	return fmt.Sprintf("unknown cohort format %q: choose text, md, csv or json", e.Name)
}

// ParseFormat turns a flag value into a Format.
func ParseFormat(s string) (Format, error) {
	for _, f := range []Format{Text, Markdown, CSV, JSON} {
		if string(f) == s {
			return f, nil
		}
	}
	return "", &FormatError{Name: s}
}

// Write writes the room in format f.
func (r Room) Write(w io.Writer, f Format) error {
	switch f {
	case Markdown:
		return r.writeMarkdown(w)
	case CSV:
		return r.writeCSV(w)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	default:
		return r.writeText(w)
	}
}

// points prints points as briefly as they are exact: 41, 41.5, 3.33.
func points(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// cell is a learner's lesson in a table: "passed 10", "failed 6.67", or
// "-" when their results do not have the lesson.
func (row LearnerRow) cell(id string) string {
	c, ok := row.Lessons[id]
	if !ok {
		return "-"
	}
	return c.Status + " " + points(c.Score)
}

func (r Room) header() []string {
	cols := []string{"learner"}
	for _, l := range r.Lessons {
		cols = append(cols, fmt.Sprintf("%s (%s)", l.ID, points(l.MaxScore)))
	}
	return append(cols, "score")
}

func (r Room) rows() [][]string {
	var rows [][]string
	for _, row := range r.Learners {
		cols := []string{row.Name}
		for _, l := range r.Lessons {
			cols = append(cols, row.cell(l.ID))
		}
		rows = append(rows, append(cols, points(row.Score)+"/"+points(row.MaxScore)))
	}
	return rows
}

func (r Room) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(r.header(), "\t"))
	for _, row := range r.rows() {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWhat the room is stuck on:")
	for _, l := range r.Lessons {
		fmt.Fprintf(w, "  %s: %s\n", l.ID, l.passedLine())
		for _, s := range l.Stuck {
			fmt.Fprintf(w, "    %s: %s\n", s.Assertion, learners(s.Learners))
		}
	}
	return nil // skipped files are reported on stderr, by the command
}

// passedLine says how many of those who worked on the lesson passed it.
func (l LessonSummary) passedLine() string {
	if l.Attempted == 0 {
		return "no learner's own work judged yet"
	}
	return fmt.Sprintf("%d of %d who worked on it passed", l.Passed, l.Attempted)
}

func learners(n int) string {
	if n == 1 {
		return "1 learner"
	}
	return fmt.Sprintf("%d learners", n)
}

func (r Room) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	writeMDRow(&b, r.header())
	b.WriteString(strings.Repeat("|---", len(r.header())) + "|\n")
	for _, row := range r.rows() {
		writeMDRow(&b, row)
	}
	b.WriteString("\n## What the room is stuck on\n\n")
	for _, l := range r.Lessons {
		fmt.Fprintf(&b, "- **%s**: %s\n", mdEscape(l.ID), l.passedLine())
		for _, s := range l.Stuck {
			fmt.Fprintf(&b, "  - %s: %s\n", mdEscape(s.Assertion), learners(s.Learners))
		}
	}
	if len(r.Skipped) > 0 {
		b.WriteString("\n## Skipped files\n\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "- `%s`: %s\n", s.File, mdEscape(s.Problem))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMDRow(b *strings.Builder, cols []string) {
	for _, c := range cols {
		b.WriteString("| " + mdEscape(c) + " ")
	}
	b.WriteString("|\n")
}

// mdEscape keeps a learner's name or an assertion from breaking a table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "*", `\*`, "_", `\_`, "`", "\\`").Replace(s)
}

// writeCSV writes one row per learner and lesson, for a spreadsheet:
// learner, lesson, status, score, max_score, and the failing assertions
// joined with "; ".
func (r Room) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"learner", "lesson", "status", "score", "max_score", "failing"}); err != nil {
		return err
	}
	for _, row := range r.Learners {
		for _, l := range r.Lessons {
			c, ok := row.Lessons[l.ID]
			if !ok {
				continue
			}
			rec := []string{csvSafe(row.Name), csvSafe(l.ID), c.Status, points(c.Score), points(c.MaxScore), csvSafe(strings.Join(c.Failing, "; "))}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from taking a learner's text for a formula
// (a learner names their own repository).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
