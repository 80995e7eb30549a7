package run

import (
	"encoding/json"
	"strings"
	"time"
)

// event is one line of go test -json (test2json) output. Build events
// (build-output, build-fail) carry ImportPath instead of Package.
type event struct {
	Time       time.Time `json:",omitempty"`
	Action     action
	Package    string  `json:",omitempty"`
	ImportPath string  `json:",omitempty"`
	Test       string  `json:",omitempty"`
	Elapsed    float64 `json:",omitempty"`
	Output     string  `json:",omitempty"`
}

// action is what an event reports.
type action string

// The actions test2json emits.
const (
	actionStart       action = "start"
	actionRun         action = "run"
	actionPause       action = "pause"
	actionCont        action = "cont"
	actionPass        action = "pass"
	actionFail        action = "fail"
	actionSkip        action = "skip"
	actionOutput      action = "output"
	actionBench       action = "bench"
	actionBuildOutput action = "build-output"
	actionBuildFail   action = "build-fail"
)

// isTerminal reports whether the action ends a test or package.
func (a action) isTerminal() bool { return a == actionPass || a == actionFail || a == actionSkip }

// parseEvent decodes one line; a line that is not an event becomes an
// output event, so nothing the process printed is lost.
func parseEvent(line []byte) event {
	var ev event
	if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil || ev.Action == "" {
		return event{Action: actionOutput, Output: string(line) + "\n"}
	}
	return ev
}

// Limits on what is kept of a check's output (see clip): 1 MB of all of
// it, and 32 kB of each test's, a quarter from the start, the rest from the
// end. A check has a few dozen tests; maxTests more can only be made up by
// output that imitates go test's "=== RUN" lines, and are not tracked.
const (
	keepAllHead     = 256 << 10
	keepAllTail     = 768 << 10
	keepPerTestHead = 8 << 10
	keepPerTestTail = 24 << 10
	maxTests        = 1000
)

// testLog collects the events of one check run: each test's end and output,
// and everything printed, in order.
type testLog struct {
	order []string
	tests map[string]*testState
	all   *clip
}

type testState struct {
	end    action
	output *clip
	// finished is set by the test's own "--- PASS/FAIL/SKIP" line; a test
	// that ends without it was cut short by the process exiting.
	finished bool
}

func newTestLog() *testLog {
	return &testLog{tests: map[string]*testState{}, all: newClip(keepAllHead, keepAllTail)}
}

func (l *testLog) add(ev event) {
	if ev.Output != "" {
		l.all.Write([]byte(ev.Output))
	}
	if ev.Test == "" {
		return
	}
	t := l.tests[ev.Test]
	if t == nil && len(l.tests) >= maxTests {
		return
	}
	if t == nil {
		t = &testState{output: newClip(keepPerTestHead, keepPerTestTail)}
		l.tests[ev.Test] = t
		l.order = append(l.order, ev.Test)
	}
	if ev.Action.isTerminal() {
		t.end = ev.Action
	}
	if ev.Output != "" {
		t.output.Write([]byte(ev.Output))
		if strings.HasPrefix(strings.TrimSpace(ev.Output), "--- ") {
			t.finished = true
		}
	}
}

// failed lists the tests that failed, leaving out a parent whose subtest
// failed: the subtest says more, and reporting both counts one problem twice.
func (l *testLog) failed() []string {
	var out []string
	for _, name := range l.order {
		if l.tests[name].end != actionFail {
			continue
		}
		if l.hasFailedSubtest(name) {
			continue
		}
		out = append(out, name)
	}
	return out
}

func (l *testLog) hasFailedSubtest(name string) bool {
	for _, other := range l.order {
		if strings.HasPrefix(other, name+"/") && l.tests[other].end == actionFail {
			return true
		}
	}
	return false
}

// passed counts the tests that passed.
func (l *testLog) passed() int {
	n := 0
	for _, t := range l.tests {
		if t.end == actionPass {
			n++
		}
	}
	return n
}

// failureText is what a failed test printed, without go test's own framing
// lines (=== RUN, --- FAIL), for a learner to read.
func (l *testLog) failureText(name string) string {
	var keep []string
	for _, line := range strings.Split(l.tests[name].output.String(), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "=== ") || strings.HasPrefix(trimmed, "--- ") {
			continue
		}
		keep = append(keep, trimmed)
	}
	return strings.Join(keep, "\n")
}
