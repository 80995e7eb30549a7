package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dblings/dblings/checker/run"
)

// WriteText writes results for a person at a terminal: a line per lesson
// with ✓ or ✗, its assertions below it, and what stopped a check that did
// not finish (compiler messages, the panic and the learner's frames).
func WriteText(w io.Writer, results []*run.Result) error {
	var b strings.Builder
	passed := 0
	for _, r := range results {
		if r.Pass() {
			passed++
		}
		writeLesson(&b, r)
	}
	if len(results) > 1 {
		fmt.Fprintf(&b, "\n%d of %d lessons passed.\n", passed, len(results))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLesson(b *strings.Builder, r *run.Result) {
	mark := "✗"
	switch r.Verdict {
	case run.Passed:
		mark = "✓"
	case run.Errored:
		mark = "!" // not the learner's fault: the check could not run
	}
	fmt.Fprintf(b, "%s %s: %s\n", mark, r.Lesson.ID, r.Message)
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
