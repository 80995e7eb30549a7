package cohort_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dblings/dblings/cohort"
)

// results writes a results.json as grade does: lessons maps an id to
// "verdict score", and failing lists "<lesson>/<assertion>" tests that
// failed.
func results(t *testing.T, path, learner string, lessons [][2]string, failing ...string) {
	t.Helper()
	type lesson struct {
		ID        string  `json:"id"`
		Verdict   string  `json:"verdict"`
		CaughtUp  bool    `json:"caught_up,omitempty"`
		Untouched bool    `json:"untouched,omitempty"`
		Score     float64 `json:"score"`
		MaxScore  float64 `json:"max_score"`
	}
	type test struct{ Name, Status string }
	doc := struct {
		Version  int      `json:"version"`
		Status   string   `json:"status"`
		Message  *string  `json:"message"`
		Score    float64  `json:"score"`
		MaxScore float64  `json:"max_score"`
		Learner  string   `json:"learner,omitempty"`
		Lessons  []lesson `json:"lessons"`
		Tests    []test   `json:"tests"`
	}{Version: 3, Status: "fail", Learner: learner}
	for _, l := range lessons {
		verdict, score, _ := strings.Cut(l[1], " ")
		le := lesson{ID: l[0], Verdict: verdict, MaxScore: 10}
		switch verdict {
		case "caught-up":
			le.Verdict, le.CaughtUp = "passed", true
		case "untouched":
			le.Verdict, le.Untouched = "failed", true
		}
		if err := json.Unmarshal([]byte(score), &le.Score); err != nil {
			t.Fatal(err)
		}
		doc.Lessons = append(doc.Lessons, le)
		doc.Score += le.Score
		doc.MaxScore += 10
	}
	for _, f := range failing {
		doc.Tests = append(doc.Tests, test{Name: f, Status: "fail"})
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, string(data))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// room is a class of four readable learners and three files that are not.
func room(t *testing.T) (string, cohort.Room) {
	t.Helper()
	dir := t.TempDir()
	results(t, filepath.Join(dir, "ada.json"), "", [][2]string{{"explain-index", "passed 10"}, {"cache-aside", "passed 10"}})
	results(t, filepath.Join(dir, "artifacts", "grace", "results.json"), "", [][2]string{{"explain-index", "passed 10"}, {"cache-aside", "failed 5"}},
		"cache-aside/a hit makes no query", "cache-aside/a hit makes no query")
	results(t, filepath.Join(dir, "x.json"), "linus", [][2]string{{"explain-index", "failed 6.67"}, {"cache-aside", "failed 0"}},
		"explain-index/order served by the index", "cache-aside/a hit makes no query", "cache-aside/invalidated on write")
	results(t, filepath.Join(dir, "late.json"), "", [][2]string{{"explain-index", "caught-up 0"}, {"cache-aside", "untouched 0"}},
		"cache-aside/stub fails this")
	write(t, filepath.Join(dir, "broken.json"), `{"version": 3, "tests": [`)
	write(t, filepath.Join(dir, "v2.json"), `{"version": 2, "tests": []}`)
	write(t, filepath.Join(dir, "old.json"), `{"version": 3, "status": "pass", "message": null, "tests": []}`)
	write(t, filepath.Join(dir, "notes.txt"), "not a results file")
	learners, skipped, err := cohort.Read([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, cohort.Summarize(learners, skipped)
}

func TestReadNamesLearnersAndSkipsWhatItCannotCount(t *testing.T) {
	_, r := room(t)
	var names []string
	for _, l := range r.Learners {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, ","); got != "ada,grace,late,linus" {
		t.Errorf("learners %s, want ada (file), grace (folder), late, linus (--learner)", got)
	}
	want := map[string]string{
		"broken.json": "damaged",
		"v2.json":     "results.json version 2; this dblings reads version 3",
		"old.json":    "without points",
	}
	if len(r.Skipped) != len(want) {
		t.Fatalf("skipped %+v, want %d files", r.Skipped, len(want))
	}
	for _, s := range r.Skipped {
		if says, ok := want[filepath.Base(s.File)]; !ok || !strings.Contains(s.Problem, says) {
			t.Errorf("skipped %s: %q, want %q", s.File, s.Problem, says)
		}
	}
}

func TestSummaryCountsWhatTheRoomIsStuckOn(t *testing.T) {
	_, r := room(t)
	if len(r.Lessons) != 2 {
		t.Fatalf("lessons %+v", r.Lessons)
	}
	cache := r.Lessons[1]
	if cache.ID != "cache-aside" || cache.Passed != 1 || cache.Attempted != 3 {
		t.Errorf("cache-aside %+v: want 1 of 3 passed (the untouched stub is no attempt)", cache)
	}
	if len(cache.Stuck) != 2 || cache.Stuck[0] != (cohort.Stuck{Assertion: "a hit makes no query", Learners: 2}) {
		t.Errorf("stuck on %+v: want the hit assertion, once per learner, first", cache.Stuck)
	}
	if r.Learners[2].Lessons["explain-index"].Status != "caught up" || r.Learners[2].Lessons["cache-aside"].Status != "not started" {
		t.Errorf("late's row: %+v", r.Learners[2].Lessons)
	}
}

func TestFormats(t *testing.T) {
	_, r := room(t)
	tests := []struct {
		format cohort.Format
		want   []string
	}{
		{cohort.Text, []string{"learner  explain-index (10)  cache-aside (10)  score", "grace    passed 10", "failed 5", "15/20", "late     caught up 0", "not started 0",
			"cache-aside: 1 of 3 who worked on it passed", "a hit makes no query: 2 learners"}},
		{cohort.Markdown, []string{"| learner | explain-index (10) | cache-aside (10) | score |", "|---|---|---|---|", "| linus | failed 6.67 | failed 0 | 6.67/20 |", "## What the room is stuck on", "## Skipped files"}},
		{cohort.JSON, []string{`"name": "grace"`, `"stuck": [`, `"skipped": [`}},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Write(&buf, tt.format); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("lacks %q:\n%s", want, buf.String())
				}
			}
		})
	}
}

func TestCSVIsOneRowPerLearnerAndLesson(t *testing.T) {
	_, r := room(t)
	r.Learners[0].Name = "=HYPERLINK(\"x\")" // a learner names their own repository
	var buf bytes.Buffer
	if err := r.Write(&buf, cohort.CSV); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+4*2 || strings.Join(rows[0], ",") != "learner,lesson,status,score,max_score,failing" {
		t.Fatalf("rows %v", rows)
	}
	if rows[1][0] != `'=HYPERLINK("x")` {
		t.Errorf("a name starting with = is %q, want it quoted out of formula", rows[1][0])
	}
	if strings.Join(rows[8], ",") != "linus,cache-aside,failed,0,10,a hit makes no query; invalidated on write" {
		t.Errorf("linus's cache-aside: %v", rows[8])
	}
}

func TestSameNameTwiceStaysTwoRows(t *testing.T) {
	dir := t.TempDir()
	results(t, filepath.Join(dir, "a", "results.json"), "ada", [][2]string{{"explain-index", "passed 10"}})
	results(t, filepath.Join(dir, "b", "results.json"), "ada", [][2]string{{"explain-index", "failed 0"}})
	learners, _, err := cohort.Read([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(learners) != 2 || learners[0].Name == learners[1].Name {
		t.Errorf("learners %+v, want two rows told apart", learners)
	}
}

func TestParseFormat(t *testing.T) {
	for _, name := range []string{"text", "md", "csv", "json"} {
		if _, err := cohort.ParseFormat(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cohort.ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "text, md, csv or json") {
		t.Errorf("xlsx: %v", err)
	}
}
