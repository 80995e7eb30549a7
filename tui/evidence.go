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
func evidenceView(st *theme, ev checker.Evidence, width int, details bool) []string {
	var out []string
	if len(ev.Counts) > 0 {
		out = append(out, countsView(st, ev.Counts, width))
	}
	if ev.Plan != nil {
		out = append(out, section(st, "Plan", planView(st, ev.Plan, width)))
	}
	out = append(out, beforeAfterView(st, ev.PlanBefore, ev.PlanAfter, width)...)
	if ev.Timing != nil {
		out = append(out, section(st, timingTitle(ev.Timing), timingView(st, ev.Timing, width)))
	}
	out = append(out, sentView(st, ev, width, details)...)
	if details && len(ev.Details) > 0 {
		out = append(out, section(st, "Details", detailsView(st, ev.Details, width)))
	}
	return out
}

// section puts a heading over lines. Lines are joined as they are: padding
// them to one width would leave trailing blanks in every copy and paste.
func section(st *theme, title string, lines []string) string {
	return strings.Join(append([]string{st.Check.Heading.Render(title)}, lines...), "\n")
}

// countsView is "round trips 1 · rows 20", in a stable order.
func countsView(st *theme, counts map[string]int64, width int) string {
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
func planView(st *theme, p *checker.Plan, width int) []string {
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
		room := width - lipgloss.Width(below+bar)
		for _, figures := range strings.Split(wrapJoin(nodeFigures(n), " · ", room), "\n") {
			lines = append(lines, truncate(st.Plan.Tree.Render(below+bar)+st.Plan.Detail.Render(figures), width))
		}
		for i, child := range n.Plans {
			walk(child, below, i == len(n.Plans)-1, false)
		}
	}
	walk(p.Root, "", true, true)
	total := fmt.Sprintf("planning %s · execution %s · %s buffers",
		ms(p.PlanningTime), ms(p.ExecutionTime), checker.FormatCount(p.TotalBuffers()))
	return append(lines, truncate(st.Muted.Render(total), width))
}

// sideBySide is the width from which a before/after pair is drawn in two
// columns rather than one above the other.
const sideBySide = 100

// beforeAfterView draws a plan pair. An after plan of the same shape as
// the before one is not drawn again: that the change did not alter the
// plan is the news.
func beforeAfterView(st *theme, before, after *checker.Plan, width int) []string {
	var out []string
	if before != nil && after != nil && sameShape(before, after) {
		lines := planView(st, after, width)
		return []string{
			section(st, "Plan before", planView(st, before, width)),
			section(st, "Plan after", []string{
				truncate(st.Warning.Render("the same nodes as before: the plan did not change"), width),
				lines[len(lines)-1],
			}),
		}
	}
	if before != nil && after != nil && width >= sideBySide {
		half := (width - 3) / 2
		left := lipgloss.NewStyle().Width(half).Render(section(st, "Plan before", planView(st, before, half)))
		right := section(st, "Plan after", planView(st, after, half))
		return []string{lipgloss.JoinHorizontal(lipgloss.Top, left, "   ", right)}
	}
	if before != nil {
		out = append(out, section(st, "Plan before", planView(st, before, width)))
	}
	if after != nil {
		out = append(out, section(st, "Plan after", planView(st, after, width)))
	}
	return out
}

// sameShape reports whether two plans have the same nodes in the same tree.
func sameShape(a, b *checker.Plan) bool {
	shape := func(p *checker.Plan) string {
		var s strings.Builder
		p.Walk(func(n *checker.PlanNode, depth int) { fmt.Fprintf(&s, "%d %s\n", depth, n.Label()) })
		return s.String()
	}
	return shape(a) == shape(b)
}

// hot reports whether a node is one a learner should look at first.
func hot(n *checker.PlanNode) bool {
	return n.Is("Seq Scan") || n.Is("Sort") || n.Is("Incremental Sort")
}

func nodeLabel(st *theme, n *checker.PlanNode) string {
	if hot(n) {
		return st.Plan.Hot.Render("▲ " + n.Label())
	}
	return st.Plan.Node.Render(n.Label())
}

// nodeFigures are what the node really did: the rows it produced over all
// its loops, the time (per loop, as Postgres reports it), and the rows it
// read only to throw away.
func nodeFigures(n *checker.PlanNode) []string {
	parts := []string{"rows " + checker.FormatCount(n.Rows())}
	if n.ActualLoops > 1 {
		parts[0] += " in " + checker.FormatCount(n.ActualLoops) + " loops"
		parts = append(parts, ms(n.ActualTotalTime)+" per loop")
	} else {
		parts = append(parts, ms(n.ActualTotalTime))
	}
	if removed := n.RowsRemoved(); removed > 0 {
		parts = append(parts, "removed "+checker.FormatCount(removed)+" by filter")
	}
	if n.SortMethod != "" {
		parts = append(parts, n.SortMethod)
	}
	return parts
}

// TIMING

func timingTitle(t *checker.Timing) string {
	return fmt.Sprintf("Timing · medians of %d runs each", max(len(t.BaselineMS), len(t.CandidateMS)))
}

// timingView draws both medians as bars of one scale, then the ratio.
func timingView(st *theme, t *checker.Timing, width int) []string {
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

// ratioView says how many times faster (or slower) the learner's code was;
// within 5% either way is noise, not a difference.
func ratioView(st *theme, ratio float64) string {
	switch {
	case ratio <= 0:
		return st.Muted.Render("no ratio measured")
	case math.Abs(ratio-1) < 0.05:
		return st.Muted.Render("about as fast")
	case ratio >= 1:
		return st.Success.Render(fmt.Sprintf("%s× faster", trimFloat(ratio)))
	default:
		return st.Warning.Render(fmt.Sprintf("%s× slower", trimFloat(1/ratio)))
	}
}

// SENT

// sentView lists the statements and Redis commands the code sent, or says
// how many there are when details are off.
func sentView(st *theme, ev checker.Evidence, width int, details bool) []string {
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
			lines[i] = truncate(fmt.Sprintf("%2d. %s%s", i+1, checker.OneLine(q.SQL), statementNote(q)), width)
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

func detailsView(st *theme, d map[string]any, width int) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		lines = append(lines, st.Muted.Render(strings.ReplaceAll(k, "_", " ")))
		for _, v := range detailValues(d[k]) {
			lines = append(lines, truncate("  "+v, width))
		}
	}
	return lines
}

// detailValues prints a detail as JSON, a list one element per line.
func detailValues(v any) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return []string{fmt.Sprint(v)}
	}
	var elems []json.RawMessage
	if json.Unmarshal(b, &elems) != nil {
		return []string{string(b)}
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		out[i] = string(e)
	}
	return out
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
