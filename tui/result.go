package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/checker/run"
)

// serversError says that a check could not start because the servers did
// not; it is never the learner's fault.
type serversError struct{ err error }

func (e *serversError) Error() string {
	return e.err.Error()
}

func (e *serversError) Unwrap() error { return e.err }

// verdictView is the one line that says how the check went (and, when a
// save started it, which file), and the runner's sentence about it.
func verdictView(st *theme, res *run.Result, err error, saved string, width int) string {
	var head, msg string
	var servers *serversError
	switch {
	case errors.Is(err, errStopped):
		head = st.Muted.Render("■ stopped")
	case errors.As(err, &servers):
		head = st.Check.Fail.Render("✗ could not check") + st.Muted.Render(" · not your code: the servers did not start")
	case err != nil:
		head = st.Check.Fail.Render("✗ could not check") + st.Muted.Render(" · the check did not run")
	case res != nil:
		head, msg = verdictHead(st, res), res.Message
	}
	if saved != "" && res != nil {
		head += st.Muted.Render(" · after you saved " + saved)
	}
	lines := []string{truncate(head, width)}
	if msg != "" {
		lines = append(lines, wrap(st.Check.Message, msg, width))
	}
	return strings.Join(lines, "\n") + "\n"
}

func verdictHead(st *theme, res *run.Result) string {
	tail := st.Muted.Render(" · " + seconds(res.Timings.Total()))
	switch res.Verdict {
	case run.Passed:
		return st.Check.Pass.Render("✓ passed") + tail
	case run.Failed:
		return st.Check.Fail.Render("✗ failed") + tail
	case run.CompileError:
		return st.Check.Fail.Render("✗ does not compile")
	case run.Panicked:
		return st.Check.Fail.Render("✗ panicked") + tail
	case run.TimedOut:
		return st.Check.Fail.Render("✗ timed out") + tail
	case run.Disputed:
		return st.Check.Fail.Render("✗ the database disagrees") + tail
	default:
		return st.Warning.Render("! could not judge your code") + st.Muted.Render(" · not your code")
	}
}

// resultView is everything below the verdict: why a check could not run,
// compile errors, the crash, then each assertion with its evidence.
func resultView(st *theme, res *run.Result, err error, width int, details bool) string {
	if err != nil {
		return errorView(st, err, width)
	}
	if res == nil {
		return ""
	}
	var blocks []string
	if len(res.CompileErrors) > 0 {
		blocks = append(blocks, compileView(st, res.CompileErrors, width))
	}
	if res.Crash != nil {
		blocks = append(blocks, crashView(st, res, width))
	}
	blocks = append(blocks, joinPasses(assertionsView(st, res.Assertions, width, details))...)
	if len(res.Warnings) > 0 {
		blocks = append(blocks, section(st, "Warnings", wrapEach(st.Warning, res.Warnings, width)))
	}
	if details {
		blocks = append(blocks, detailsBlock(st, res, width))
	}
	return strings.Join(blocks, "\n\n")
}

func errorView(st *theme, err error, width int) string {
	if errors.Is(err, errStopped) {
		return st.Muted.Render("Press c to check again, or save the file.")
	}
	text := wrap(st.Check.Message, err.Error(), width)
	var servers *serversError
	if errors.As(err, &servers) {
		text += "\n\n" + wrap(st.Muted, "Run `dblings doctor` in another terminal to see what this machine has, then restart the lab.", width)
	}
	return text
}

// compileView lists the compiler's messages with their file:line.
func compileView(st *theme, diags []run.Diagnostic, width int) string {
	lines := make([]string, 0, 2*len(diags))
	for _, d := range diags {
		if d.File == "" {
			lines = append(lines, wrap(st.Check.Message, d.Message, width))
			continue
		}
		loc := fmt.Sprintf("%s:%d", d.File, d.Line)
		if d.Column > 0 {
			loc += fmt.Sprintf(":%d", d.Column)
		}
		lines = append(lines, truncate(st.Check.Location.Render(loc), width), indent(wrap(st.Check.Message, d.Message, width-2)))
	}
	return section(st, "Compile errors", lines)
}

// crashView is the panic or timeout message and where the learner's code
// was, innermost frame first.
func crashView(st *theme, res *run.Result, width int) string {
	title := "Panic"
	if res.Verdict == run.TimedOut {
		title = "Timed out"
	}
	lines := []string{wrap(st.Check.Message, res.Crash.Message, width)}
	if len(res.Crash.Frames) > 0 {
		lines = append(lines, st.Muted.Render("in your code:"))
	}
	for _, f := range res.Crash.Frames {
		lines = append(lines, truncate("  "+st.Check.Location.Render(fmt.Sprintf("%s:%d", f.File, f.Line))+st.Muted.Render("  "+f.Function), width))
	}
	return section(st, title, lines)
}

// assertionsView is one block per assertion: ✓ or ✗, the name, the
// message, and the evidence. Failures come first, since they are what the
// learner came for; a pass with nothing to show takes one line. Evidence
// already drawn (the same plans attached to several assertions) is not
// drawn twice.
func assertionsView(st *theme, as []run.Assertion, width int, details bool) []string {
	seen := map[string]bool{}
	blocks := make([]string, 0, len(as))
	for _, ok := range []bool{false, true} {
		for _, a := range as {
			if a.OK == ok {
				blocks = append(blocks, assertionView(st, a, seen, width, details))
			}
		}
	}
	return blocks
}

func assertionView(st *theme, a run.Assertion, seen map[string]bool, width int, details bool) string {
	var evidence []string
	for _, ev := range evidenceView(st, a.Evidence, width-2, details) {
		if !seen[ev] {
			seen[ev] = true
			evidence = append(evidence, indent(ev))
		}
	}
	if a.OK && len(evidence) == 0 {
		return truncate(st.Check.Pass.Render("✓ ")+st.Check.Name.Render(a.Name)+st.Muted.Render(" · "+a.Message), width)
	}
	mark := st.Check.Pass.Render("✓ ")
	if !a.OK {
		mark = st.Check.Fail.Render("✗ ")
	}
	lines := []string{truncate(mark+st.Check.Name.Render(a.Name), width)}
	if a.Message != "" {
		lines = append(lines, indent(wrap(st.Check.Message, a.Message, width-2)))
	}
	lines = append(lines, evidence...)
	if a.Output != "" && !a.OK {
		lines = append(lines, indent(section(st, "Output", tail(st.Check.Code, a.Output, 12, width-2))))
	}
	return strings.Join(lines, "\n")
}

// joinPasses keeps one-line passes together, without blank lines between.
func joinPasses(blocks []string) []string {
	var out []string
	for _, b := range blocks {
		n := len(out)
		if n > 0 && !strings.Contains(b, "\n") && !strings.Contains(out[n-1], "\n") {
			out[n-1] += "\n" + b
			continue
		}
		out = append(out, b)
	}
	return out
}

// detailsBlock is how long each phase took, and the tail of the check's
// own output, for a verdict the rest does not explain.
func detailsBlock(st *theme, res *run.Result, width int) string {
	t := res.Timings
	phases := []string{truncate(fmt.Sprintf("compile %s · prepare %s · run %s · cleanup %s",
		short(t.Compile), short(t.Prepare), short(t.Run), short(t.Cleanup)), width)}
	out := section(st, "Timings", phases)
	if res.Output != "" {
		out += "\n\n" + section(st, "Check output", tail(st.Check.Code, res.Output, 30, width))
	}
	return out
}

// ETC

func short(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }

// wrap word-wraps text to width in style, breaking a word only when it is
// longer than a line (a long SQL statement, a path).
func wrap(s lipgloss.Style, text string, width int) string {
	return s.Render(ansi.Wrap(text, max(10, width), ""))
}

func wrapEach(s lipgloss.Style, texts []string, width int) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = wrap(s, t, width)
	}
	return out
}

// indent shifts every line of s two cells right.
func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// tail keeps the last n lines of text, each cut to width.
func tail(s lipgloss.Style, text string, n, width int) []string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	for i, l := range lines {
		lines[i] = truncate(s.Render(strings.ReplaceAll(l, "\t", "    ")), width)
	}
	return lines
}
