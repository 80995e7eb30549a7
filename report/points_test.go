package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/report"
)

// TestGradingSaysWhoAndWhatWasCaughtUp: a caught-up lesson passes its
// check on the reference solution and earns nothing, in every format, and
// the learner's name travels with the points. An untouched stub earns
// nothing either.
func TestGradingSaysWhoAndWhatWasCaughtUp(t *testing.T) {
	results := sampleResults()[:2] // explain-index passed, cache-aside 1 of 3
	g := report.Grading{Learner: "ada", CaughtUp: map[string]bool{"explain-index": true}}
	untouched := report.Grading{Untouched: map[string]bool{"cache-aside": true}}
	out := map[report.Format]string{}
	for _, f := range report.Formats {
		var buf bytes.Buffer
		if err := g.Write(&buf, f, results); err != nil {
			t.Fatal(err)
		}
		out[f] = buf.String()
	}

	var doc struct {
		Score   float64
		Max     float64 `json:"max_score"`
		Learner string
		Lessons []struct {
			ID       string
			CaughtUp bool `json:"caught_up"`
			Score    float64
		}
		Tests []struct {
			Name  string
			Score float64
			Max   float64 `json:"max_score"`
		}
	}
	if err := json.Unmarshal([]byte(out[report.JSON]), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Score != 3.33 || doc.Max != 20 || doc.Learner != "ada" {
		t.Errorf("score %v/%v learner %q, want 3.33/20 ada", doc.Score, doc.Max, doc.Learner)
	}
	if len(doc.Lessons) != 2 || !doc.Lessons[0].CaughtUp || doc.Lessons[0].Score != 0 || doc.Lessons[1].CaughtUp {
		t.Errorf("lessons %+v, want explain-index caught up with 0 points", doc.Lessons)
	}
	if doc.Tests[0].Score != 0 || doc.Tests[0].Max != 5 {
		t.Errorf("a caught-up test: %+v, want 0 of 5", doc.Tests[0])
	}

	for _, want := range []string{"↷ explain-index: all 2 assertions passed (caught up, the reference solution laid by catch-up; 0/10 points)", "0 of 2 lessons passed, 1 caught up.\nscore: 3.33/20\n"} {
		if !strings.Contains(out[report.Text], want) {
			t.Errorf("text lacks %q:\n%s", want, out[report.Text])
		}
	}
	var buf bytes.Buffer
	if err := untouched.Write(&buf, report.Text, results); err != nil {
		t.Fatal(err)
	}
	if want := "✗ cache-aside: 2 of 3 assertions failed (the exercise as shipped; 0/10 points)"; !strings.Contains(buf.String(), want) {
		t.Errorf("an untouched stub: text lacks %q:\n%s", want, buf.String())
	}
	for _, want := range []string{`name="caught_up" value="true"`, `name="learner" value="ada"`, `name="points: a miss reads the database once" value="3.33/3.33"`} {
		if !strings.Contains(out[report.JUnit], want) {
			t.Errorf("junit lacks %s", want)
		}
	}
}

// TestJSONKeepsExercismsFields: the results.json v3 fields are all there
// with the points beside them, also when there is nothing to report.
func TestJSONKeepsExercismsFields(t *testing.T) {
	for _, results := range [][]*run.Result{nil, sampleResults()} {
		var buf bytes.Buffer
		if err := report.WriteJSON(&buf, results); err != nil {
			t.Fatal(err)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"version", "status", "message", "tests", "score", "max_score", "lessons"} {
			if _, ok := doc[key]; !ok {
				t.Errorf("%d results: no %q in %s", len(results), key, buf.String())
			}
		}
	}
}
