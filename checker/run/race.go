package run

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dblings/dblings/checker"
)

// A check built with the race detector (Options.Race) prints a report for
// each data race it sees and fails the test it happened in, with nothing
// but "race detected during execution of test" and, at the end, exit
// status 66. The functions here turn the first report into an assertion a
// learner can act on: which goroutines met, doing what, at which lines of
// their file.

// raceAssertion names the assertion a data race fails.
const raceAssertion = "no data race"

// raceTestFailure is what the testing package adds to a test during which
// a race was detected.
const raceTestFailure = "race detected during execution of test"

// raceAccess heads one side of a report: "Read at 0x… by goroutine 7:",
// "Previous write at 0x… by main goroutine:".
var raceAccess = regexp.MustCompile(`^((?:Previous )?(?:[Aa]tomic )?(?:read|write|Read|Write)) at 0x[0-9a-f]+ by (main goroutine|goroutine \d+):$`)

// dataRace is one report: the access that found the race and the earlier
// one it met.
type dataRace struct {
	sides []raceSide
	// reports counts every report in the output, this one included.
	reports int
	// report is the race detector's own text of it.
	report string
}

// raceSide is one access: what it did, by which goroutine, and where.
type raceSide struct {
	kind      string // "read", "write", "atomic write"
	goroutine string // "goroutine 7"
	frames    []Frame
}

// findRace reads the first data race report of a check's output, nil when
// there is none. Frames are kept as findCrash keeps them: the learner's
// files only, or when the race is in code they did not write, the first
// frame outside the Go runtime.
func findRace(output string, learnerFile func(string) (string, bool)) *dataRace {
	reports := strings.Split(output, "WARNING: DATA RACE\n")
	if len(reports) < 2 {
		return nil
	}
	body := reports[1]
	if end := strings.Index(body, "\n=================="); end >= 0 {
		body = body[:end]
	}
	r := &dataRace{reports: len(reports) - 1, report: "WARNING: DATA RACE\n" + body}
	var side *raceSide
	function := ""
	for _, line := range strings.Split(body, "\n") {
		if m := raceAccess.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			r.sides = append(r.sides, raceSide{kind: raceKind(m[1]), goroutine: m[2]})
			side = &r.sides[len(r.sides)-1]
			continue
		}
		switch {
		case side == nil:
		case strings.TrimSpace(line) == "":
			side = nil // the access's stack ends; "created at" stacks follow
		case strings.HasPrefix(line, "      "):
			if f, ok := raceFrame(function, line, learnerFile, len(side.frames) == 0); ok {
				side.frames = append(side.frames, f)
			}
		default:
			function = strings.TrimSpace(line)
		}
	}
	if len(r.sides) < 2 {
		return nil
	}
	return r
}

// raceFrame keeps a learner's frame, or a first frame outside the runtime
// when no frame of the learner's has come yet.
func raceFrame(function, line string, learnerFile func(string) (string, bool), first bool) (Frame, bool) {
	file, lineNo, ok := parseFileLine(line)
	if !ok {
		return Frame{}, false
	}
	rel, mine := learnerFile(file)
	if !mine && (!first || strings.HasPrefix(function, "runtime.") || strings.HasPrefix(function, "sync")) {
		return Frame{}, false
	}
	return Frame{Function: shortFunction(function), File: rel, Line: lineNo}, true
}

// raceKind turns "Previous write" into "write", "Atomic read" into
// "atomic read".
func raceKind(kind string) string {
	return strings.ToLower(strings.TrimPrefix(kind, "Previous "))
}

// did says what a side did: "wrote", "had read".
func (s raceSide) did(earlier bool) string {
	write := strings.HasSuffix(s.kind, "write")
	atomic := strings.TrimSuffix(strings.TrimSuffix(s.kind, "write"), "read")
	switch {
	case earlier && write:
		return "had " + atomic + "written"
	case earlier:
		return "had " + atomic + "read"
	case write:
		return atomic + "wrote"
	}
	return atomic + "read"
}

// message says what happened, where, and the way out.
func (r *dataRace) message() string {
	now, before := r.sides[0], r.sides[1]
	msg := fmt.Sprintf("a data race: two goroutines used the same variable, one of them writing, with nothing (a mutex, a channel, a WaitGroup) ordering the two: %s %s it at %s, while %s %s it at %s",
		now.goroutine, now.did(false), now.place(), before.goroutine, before.did(true), before.place())
	if r.reports > 1 {
		msg += fmt.Sprintf(" (%d races were reported; see the output)", r.reports)
	}
	return msg + ". Code like this works on a quiet machine and loses or mixes up data under load. Give each goroutine a slot of its own (results[i]) or a channel to send on, or guard what they share with a sync.Mutex"
}

// place is where a side's access happened, innermost first.
func (s raceSide) place() string {
	if len(s.frames) == 0 {
		return "a place outside your code (see the output)"
	}
	f := s.frames[0]
	return fmt.Sprintf("%s:%d (%s)", f.File, f.Line, f.Function)
}

// addRace replaces the bare test failures a race leaves with one assertion
// that explains it.
func addRace(list []Assertion, r *dataRace) []Assertion {
	var out []Assertion
	test := ""
	for _, a := range list {
		if !a.OK && a.Name == a.Test && strings.Contains(a.Output, raceTestFailure) {
			test = a.Test // made up by assertions() for a test that failed only by the race
			continue
		}
		out = append(out, a)
	}
	var at []string
	for _, s := range r.sides {
		for _, f := range s.frames {
			at = append(at, s.goroutine+": "+f.String())
		}
	}
	ev := checker.Evidence{Counts: map[string]int64{"race_reports": int64(r.reports)}, Details: map[string]any{"at": at}}
	return append(out, Assertion{Test: test, Name: raceAssertion, Message: r.message(), Evidence: ev, Output: r.report})
}
