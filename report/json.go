package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/run"
)

// results is Exercism's results.json, version 3, with additions of ours:
// evidence on each test, the seed of the data, the command that reproduces
// a failed test, and the points below.
type results struct {
	Version int     `json:"version"`
	Status  string  `json:"status"`
	Message *string `json:"message"`
	// Seed is the seed of the data every check ran on (see Reproduce).
	Seed *uint64 `json:"seed,omitempty"`
	// Ours: the points earned out of every lesson's points, the learner
	// graded, and how each lesson went (see points.go).
	Score    float64        `json:"score"`
	MaxScore float64        `json:"max_score"`
	Learner  string         `json:"learner,omitempty"`
	Lessons  []LessonResult `json:"lessons"`
	Tests    []testResult   `json:"tests"`
}

type testResult struct {
	// Name is "<lesson id>/<assertion>".
	Name     string            `json:"name"`
	Status   string            `json:"status"`
	Message  string            `json:"message,omitempty"`
	Output   string            `json:"output,omitempty"`
	Score    float64           `json:"score"`
	MaxScore float64           `json:"max_score"`
	Evidence *checker.Evidence `json:"evidence,omitempty"`
	// Reproduce is set on the tests that did not pass (see Reproduce).
	Reproduce string `json:"reproduce,omitempty"`
}

// Exercism's statuses.
const (
	statusPass  = "pass"
	statusFail  = "fail"
	statusError = "error"
)

// maxOutput is Exercism's limit on a test's output.
const maxOutput = 500

// WriteJSON writes one results.json document for all results. Its status
// is pass when every test passed, error when every test errored (nothing
// could be judged), and fail otherwise; message is set for error only, as
// the format asks.
func WriteJSON(w io.Writer, rs []*run.Result) error { return Grading{}.WriteJSON(w, rs) }

// WriteJSON is the package's WriteJSON, with g's learner and points.
func (g Grading) WriteJSON(w io.Writer, rs []*run.Result) error {
	doc := results{Version: 3, Tests: []testResult{}}
	for _, r := range rs {
		doc.Tests = append(doc.Tests, lessonTests(r)...)
	}
	doc.Status = overallStatus(doc.Tests)
	doc.Seed = sharedSeed(rs)
	g.addPoints(&doc, rs)
	if doc.Status == statusError {
		var msgs []string
		for _, t := range doc.Tests {
			msgs = append(msgs, t.Name+": "+t.Message)
		}
		msg := strings.Join(msgs, "\n")
		doc.Message = &msg
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func lessonTests(r *run.Result) []testResult {
	tests := lessonEntries(r)
	reproduce := Reproduce(r)
	for i := range tests {
		if tests[i].Status != statusPass {
			tests[i].Reproduce = reproduce
		}
	}
	return tests
}

func lessonEntries(r *run.Result) []testResult {
	var tests []testResult
	for _, a := range r.Assertions {
		t := testResult{Name: r.Lesson.ID + "/" + a.Name, Status: statusPass, Message: a.Message, Output: truncate(a.Output)}
		if !a.OK {
			t.Status = statusFail
		}
		if e := a.Evidence; !emptyEvidence(e) {
			t.Evidence = &e
		}
		tests = append(tests, t)
	}
	if e, ok := extraEntry(r); ok {
		msg := e.message
		if e.details != "" {
			msg += "\n" + e.details
		}
		tests = append(tests, testResult{Name: r.Lesson.ID + "/" + e.name, Status: statusError, Message: msg})
	}
	return tests
}

func overallStatus(tests []testResult) string {
	pass, errored := true, len(tests) > 0
	for _, t := range tests {
		pass = pass && t.Status == statusPass
		errored = errored && t.Status == statusError
	}
	switch {
	case pass:
		return statusPass
	case errored:
		return statusError
	}
	return statusFail
}

func emptyEvidence(e checker.Evidence) bool {
	data, err := json.Marshal(e)
	return err != nil || string(data) == "{}"
}

func truncate(s string) string {
	if len(s) <= maxOutput {
		return s
	}
	const note = "\nOutput was truncated. Please limit to 500 chars"
	cut := maxOutput - len(note)
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + note
}

// utf8Start reports whether b can begin a UTF-8 character, so a cut never
// splits one.
func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
