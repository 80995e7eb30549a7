package tui

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/dblings/dblings/checker"
)

// evidenceView renders what an assertion looked at, readable at a glance:
// counts first, then plans as trees, then timings as bars. The statements
// and commands themselves only with details, since they are long.
func evidenceView(st *Styles, ev checker.Evidence, width int, details bool) []string {
	var out []string
	if len(ev.Counts) > 0 {
		out = append(out, countsView(st, ev.Counts, width))
	}
	if ev.Plan != nil {
		out = append(out, section(st, "Plan", planView(st, ev.Plan, width)))
	}
	if ev.PlanBefore != nil {
		out = append(out, section(st, "Plan before", planView(st, ev.PlanBefore, width)))
	}
	if ev.PlanAfter != nil {
		out = append(out, section(st, "Plan after", planView(st, ev.PlanAfter, width)))
	}
	if ev.Timing != nil {
		out = append(out, section(st, timingTitle(ev.Timing), timingView(st, ev.Timing, width)))
	}
	out = append(out, sentView(st, ev, width, details)...)
	if details && len(ev.Details) > 0 {
		out = append(out, section(st, "Details", detailsView(st, ev.Details, width)))
	}
	return out
}

func section(st *Styles, title string, lines []string) string {
	return lipgloss.JoinVertical(lipgloss.Left, append([]string{st.Check.Heading.Render(title)}, lines...)...)
}

// countsView is "round trips 1 · rows 20", in a stable order.
func countsView(st *Styles, counts map[string]int64, width int) string {
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = st.Muted.Render(strings.ReplaceAll(name, "_", " ")+" ") + st.Bold.Render(checker.FormatCount(counts[name]))
	}
	return wrapJoin(parts, st.Muted.Render(" · "), width)
}

// PLAN

// planView draws the plan as a tree, one node per line with its figures on
// the line below. Seq Scan and Sort nodes are marked with ▲ as well as a
// colour, so that they stand out without colours too.
func planView(st *Styles, p *checker.Plan, width int) []string {
	if p.Root == nil {
		return []string{st.Muted.Render("(empty plan)")}
	}
	var lines []string
	var walk func(n *checker.PlanNode, prefix string, last, root bool)
	walk = func(n *checker.PlanNode, prefix string, last, root bool) {
		branch, stem := "", ""
		if !root {
			branch, stem = "├─ ", "│  "
			if last {
				branch, stem = "└─ ", "   "
			}
		}
		lines = append(lines, truncate(st.Plan.Tree.Render(prefix+branch)+nodeLabel(st, n), width))
		below := prefix + stem
		bar := "  "
		if len(n.Plans) > 0 {
			bar = "│ "
		}
		lines = append(lines, truncate(st.Plan.Tree.Render(below+bar)+st.Plan.Detail.Render(nodeFigures(n)), width))
		for i, child := range n.Plans {
			walk(child, below, i == len(n.Plans)-1, false)
		}
	}
	walk(p.Root, "", true, true)
	total := fmt.Sprintf("planning %s · execution %s · %s buffers",
		ms(p.PlanningTime), ms(p.ExecutionTime), checker.FormatCount(p.TotalBuffers()))
	return append(lines, truncate(st.Muted.Render(total), width))
}

// hot reports whether a node is one a learner should look at first.
func hot(n *checker.PlanNode) bool {
	return n.Is("Seq Scan") || n.Is("Sort") || n.Is("Incremental Sort")
}

func nodeLabel(st *Styles, n *checker.PlanNode) string {
	if hot(n) {
		return st.Plan.Hot.Render("▲ " + n.Label())
	}
	return st.Plan.Node.Render(n.Label())
}

// nodeFigures are what the node really did: rows per loop, loops when more
// than one, time, and the rows it read only to throw away.
func nodeFigures(n *checker.PlanNode) string {
	parts := []string{"rows " + checker.FormatCount(int64(math.Round(n.ActualRows)))}
	if n.ActualLoops > 1 {
		parts = append(parts, "loops "+checker.FormatCount(n.ActualLoops))
	}
	parts = append(parts, ms(n.ActualTotalTime))
	if removed := n.RowsRemoved(); removed > 0 {
		parts = append(parts, "removed "+checker.FormatCount(removed)+" by filter")
	}
	if n.SortMethod != "" {
		parts = append(parts, n.SortMethod)
	}
	return strings.Join(parts, " · ")
}

// TIMING

func timingTitle(t *checker.Timing) string {
	return fmt.Sprintf("Timing · medians of %d runs each", max(len(t.BaselineMS), len(t.CandidateMS)))
}

// timingView draws both medians as bars of one scale, then the ratio.
func timingView(st *Styles, t *checker.Timing, width int) []string {
	labelWidth := max(lipgloss.Width(t.Baseline), lipgloss.Width(t.Candidate)) + 2
	longest := math.Max(t.BaselineMedianMS, t.CandidateMedianMS)
	room := max(4, width-labelWidth-12)
	bar := func(label string, median float64, style lipgloss.Style) string {
		cells := 1
		if longest > 0 {
			cells = max(1, int(math.Round(median/longest*float64(room))))
		}
		pad := strings.Repeat(" ", labelWidth-lipgloss.Width(label))
		return truncate(label+pad+style.Render(strings.Repeat("█", cells))+" "+ms(median), width)
	}
	return []string{
		bar(t.Baseline, t.BaselineMedianMS, st.Bar.Baseline),
		bar(t.Candidate, t.CandidateMedianMS, st.Bar.Candidate),
		ratioView(st, t.Ratio),
	}
}

// ratioView says how many times faster (or slower) the learner's code was.
func ratioView(st *Styles, ratio float64) string {
	switch {
	case ratio <= 0:
		return st.Muted.Render("no ratio measured")
	case ratio >= 1:
		return st.Success.Render(fmt.Sprintf("%s× faster", trimFloat(ratio)))
	default:
		return st.Warning.Render(fmt.Sprintf("%s× slower", trimFloat(1/ratio)))
	}
}

// SENT

// sentView lists the statements and Redis commands the code sent, or says
// how many there are when details are off.
func sentView(st *Styles, ev checker.Evidence, width int, details bool) []string {
	if !details {
		var parts []string
		if n := len(ev.Queries); n > 0 {
			parts = append(parts, plural(n, "statement", "statements"))
		}
		if n := len(ev.Commands); n > 0 {
			parts = append(parts, plural(n, "Redis command", "Redis commands"))
		}
		if len(parts) == 0 {
			return nil
		}
		return []string{st.Muted.Render(strings.Join(parts, " and ") + " recorded · v shows them")}
	}
	var out []string
	if len(ev.Queries) > 0 {
		lines := make([]string, len(ev.Queries))
		for i, q := range ev.Queries {
			lines[i] = truncate(fmt.Sprintf("%2d. %s%s", i+1, oneLine(q.SQL), statementNote(q)), width)
		}
		out = append(out, section(st, "Statements", lines))
	}
	if len(ev.Commands) > 0 {
		lines := make([]string, len(ev.Commands))
		for i, c := range ev.Commands {
			text := strings.TrimSpace(c.Name + " " + strings.Join(c.Args, " "))
			if c.Pipeline > 0 {
				text += st.Muted.Render(fmt.Sprintf("  (pipeline %d)", c.Pipeline))
			}
			if c.Error != "" {
				text += st.Error.Render("  " + c.Error)
			}
			lines[i] = truncate(fmt.Sprintf("%2d. %s", i+1, text), width)
		}
		out = append(out, section(st, "Redis commands", lines))
	}
	return out
}

func statementNote(q checker.SQLStatement) string {
	var notes []string
	if len(q.Args) > 0 {
		notes = append(notes, "args "+strings.Join(q.Args, ", "))
	}
	if q.Batch > 0 {
		notes = append(notes, fmt.Sprintf("batch %d", q.Batch))
	}
	if q.DurationMS > 0 {
		notes = append(notes, ms(q.DurationMS))
	}
	if q.Error != "" {
		notes = append(notes, "error: "+q.Error)
	}
	if len(notes) == 0 {
		return ""
	}
	return "  (" + strings.Join(notes, "; ") + ")"
}

func detailsView(st *Styles, d map[string]any, width int) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		v, err := json.Marshal(d[k])
		if err != nil {
			v = []byte(fmt.Sprint(d[k]))
		}
		lines[i] = truncate(st.Muted.Render(k+": ")+string(v), width)
	}
	return lines
}

// ETC

// ms prints a duration in milliseconds with the precision it deserves.
func ms(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.2f ms", v)
	}
}

func trimFloat(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.0f", v)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// wrapJoin joins parts with sep, starting a new line instead of overflowing.
func wrapJoin(parts []string, sep string, width int) string {
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case lipgloss.Width(line+sep+p) <= width:
			line += sep + p
		default:
			lines = append(lines, line)
			line = p
		}
	}
	return strings.Join(append(lines, truncate(line, width)), "\n")
}
