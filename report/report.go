// Package report writes check results for people and for machines: text
// for the terminal, JSON shaped after the Exercism test runner's
// results.json (version 3), and JUnit XML for CI test reports.
//
// Every format lists the lessons in the order given and, inside a lesson,
// the assertions in the order the check made them. A lesson that could not
// be judged assertion by assertion (it did not compile, crashed, timed out,
// or its environment failed) gets one extra entry that says so.
package report

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/run"
)

// Format names an output format.
type Format string

// The formats.
const (
	Text  Format = "text"
	JSON  Format = "json"
	JUnit Format = "junit"
)

// Formats lists the formats, for help texts.
var Formats = []Format{Text, JSON, JUnit}

// FormatError is an unknown format name.
type FormatError struct{ Name string }

func (e *FormatError) Error() string {
	return fmt.Sprintf("unknown report format %q: choose text, json or junit", e.Name)
}

// ParseFormat turns a flag value into a Format.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", &FormatError{Name: s}
}

// Write writes results in format f, with no learner named and no lesson
// caught up. JUnit reports name this machine.
func Write(w io.Writer, f Format, results []*run.Result) error {
	return Grading{}.Write(w, f, results)
}

// Write writes results in format f, with g's learner and caught-up
// lessons (see Grading).
func (g Grading) Write(w io.Writer, f Format, results []*run.Result) error {
	switch f {
	case JSON:
		return g.WriteJSON(w, results)
	case JUnit:
		return g.WriteJUnit(w, results, hostname())
	default:
		return g.WriteText(w, results)
	}
}

func hostname() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost" // what the JUnit schema asks for when unknown
}

// verdictEntry is the extra entry of a lesson whose check did not run to
// the end; ok is false when there is none.
type verdictEntry struct {
	name    string // "compile", "crash", "timeout", "environment"
	message string // one line
	details string // compiler messages, frames
}

func extraEntry(r *run.Result) (verdictEntry, bool) {
	switch r.Verdict {
	case run.CompileError:
		return verdictEntry{"compile", r.Message, diagnostics(r.CompileErrors)}, true
	case run.Panicked:
		return verdictEntry{"crash", r.Message, frames(r.Crash, "at")}, true
	case run.TimedOut:
		return verdictEntry{"timeout", r.Message, frames(r.Crash, "your code was at")}, true
	case run.Errored:
		return verdictEntry{"environment", r.Message, ""}, true
	}
	return verdictEntry{}, false
}

func diagnostics(ds []run.Diagnostic) string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

func frames(c *run.Crash, lead string) string {
	if c == nil {
		return ""
	}
	var lines []string
	for _, f := range c.Frames {
		lines = append(lines, fmt.Sprintf("%s %s:%d in %s", lead, f.File, f.Line, f.Function))
		lead = "called from"
	}
	return strings.Join(lines, "\n")
}

// plans renders the query plans of an assertion's evidence. Checks often
// attach the same plans to several assertions: a plan already in shown is
// referred to instead of repeated, and then added to shown.
func plans(e checker.Evidence, shown map[string]bool) string {
	var parts []string
	for _, p := range []struct {
		label string
		plan  *checker.Plan
	}{{"plan", e.Plan}, {"plan before", e.PlanBefore}, {"plan after", e.PlanAfter}} {
		if p.plan == nil || p.plan.Root == nil {
			continue
		}
		text := p.plan.String()
		if shown[text] {
			parts = append(parts, p.label+": as above")
			continue
		}
		shown[text] = true
		parts = append(parts, p.label+":\n"+indent(text, "  "))
	}
	return strings.Join(parts, "\n")
}

// failureDetails is what a failed assertion shows below its message: what
// the test printed beyond the message, and the plans (see plans).
func failureDetails(a run.Assertion, shown map[string]bool) string {
	var parts []string
	if rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(a.Output), a.Message)); rest != "" {
		parts = append(parts, rest)
	}
	if p := plans(a.Evidence, shown); p != "" {
		parts = append(parts, p)
	}
	return strings.Join(parts, "\n")
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
