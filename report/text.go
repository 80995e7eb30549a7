package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/score"
)

// WriteText writes results for a person at a terminal: a line per lesson
// with ✓ or ✗, its assertions below it, and what stopped a check that did
// not finish (compiler messages, the panic and the learner's frames).
func WriteText(w io.Writer, results []*run.Result) error { return Grading{}.WriteText(w, results) }

// WriteText is the package's WriteText, with each lesson's points and,
// for several lessons, the score: "score: 41/60".
func (g Grading) WriteText(w io.Writer, results []*run.Result) error {
	var b strings.Builder
	passed, caughtUp := 0, 0
	for _, r := range results {
		p := g.score(r)
		switch {
		case p.Origin == score.CaughtUp:
			caughtUp++
		case r.Pass():
			passed++
		}
		writeLesson(&b, r, p)
	}
	if len(results) > 1 {
		fmt.Fprintf(&b, "\n%d of %d lessons passed", passed, len(results))
		if caughtUp > 0 {
			fmt.Fprintf(&b, ", %d caught up", caughtUp)
		}
		got, max := g.total(results)
		fmt.Fprintf(&b, ".\nscore: %s/%s\n", points(got), points(max))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLesson(b *strings.Builder, r *run.Result, p score.Lesson) {
	mark, note := "✗", ""
	switch {
	case p.Origin == score.CaughtUp:
		mark, note = "↷", "caught up, the reference solution laid by catch-up; "
	case p.Origin == score.Stub:
		note = "the exercise as shipped; "
	case r.Verdict == run.Passed:
		mark = "✓"
	case r.Verdict == run.Errored:
		mark = "!" // not the learner's fault: the check could not run
	}
	fmt.Fprintf(b, "%s %s: %s (%s%s/%s points)\n", mark, r.Lesson.ID, r.Message, note, points(p.Score), points(p.Max))
	shown := map[string]bool{}
	for _, a := range r.Assertions {
		m := "✗"
		if a.OK {
			m = "✓"
		}
		fmt.Fprintf(b, "    %s %s: %s\n", m, a.Name, indentRest(a.Message, "        "))
		if !a.OK {
			writeBlock(b, failureDetails(a, shown), "        ")
		}
	}
	if e, ok := extraEntry(r); ok {
		writeBlock(b, e.details, "    ")
	}
	for _, warning := range r.Warnings {
		fmt.Fprintf(b, "    warning: %s\n", warning)
	}
	// check runs on the fixed data, so its own command line reproduces it;
	// a variant's seed would be lost with the terminal's scrollback.
	if cmd := Reproduce(r); cmd != "" && r.Seed != fixtures.FixedSeed {
		fmt.Fprintf(b, "    reproduce: %s\n", cmd)
	}
	if r.Verdict != run.CompileError && r.Verdict != run.Errored {
		fmt.Fprintf(b, "    (%s)\n", timings(r.Timings))
	}
}

func writeBlock(b *strings.Builder, text, prefix string) {
	if text != "" {
		b.WriteString(indent(text, prefix) + "\n")
	}
}

// indentRest indents every line of s but the first.
func indentRest(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// timings says where the learner's wait went.
func timings(t run.Timings) string {
	return fmt.Sprintf("compile %s, database %s, run %s", seconds(t.Compile), seconds(t.Prepare), seconds(t.Run))
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }
