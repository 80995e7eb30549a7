package report

import (
	"strconv"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/score"
)

// Grading is what a report says beyond the checks' own results: who was
// graded, and which lessons hold code that is not the learner's. The
// points come from package score.
type Grading struct {
	// Learner names the learner in the JSON and JUnit reports, for
	// `dblings cohort`; "" leaves it out.
	Learner string
	// CaughtUp holds the ids of the lessons laid by `dblings catch-up`:
	// they earn no points, and every format says so.
	CaughtUp map[string]bool
	// Untouched holds the ids of the lessons whose exercise is still the
	// stub as shipped: they earn no points either.
	Untouched map[string]bool
}

// LessonResult is how one lesson went, in a results.json's "lessons".
type LessonResult struct {
	ID string `json:"id"`
	// Verdict is the check's verdict (passed, failed, compile-error, …).
	Verdict string `json:"verdict"`
	// CaughtUp: the lesson was laid by `dblings catch-up`; it earns
	// nothing, whatever its verdict.
	CaughtUp bool `json:"caught_up,omitempty"`
	// Untouched: the exercise is still the stub as shipped; it earns
	// nothing.
	Untouched bool    `json:"untouched,omitempty"`
	Score     float64 `json:"score"`
	MaxScore  float64 `json:"max_score"`
}

// Status is how the lesson reads in a table: "caught up", "not started",
// or its verdict.
func (l LessonResult) Status() string {
	switch {
	case l.CaughtUp:
		return "caught up"
	case l.Untouched:
		return "not started"
	}
	return l.Verdict
}

// score is the points of one result.
func (g Grading) score(r *run.Result) score.Lesson {
	origin := score.Own
	switch {
	case g.CaughtUp[r.Lesson.ID]:
		origin = score.CaughtUp
	case g.Untouched[r.Lesson.ID]:
		origin = score.Stub
	}
	return score.Of(r, origin)
}

// total is the score and maximum of all results.
func (g Grading) total(results []*run.Result) (got, max float64) {
	lessons := make([]score.Lesson, len(results))
	for i, r := range results {
		lessons[i] = g.score(r)
	}
	return score.Total(lessons)
}

// addPoints fills in the points and lessons of a results.json whose tests
// were written from rs: each lesson's assertions, in order, then its extra
// entry, which earns nothing.
func (g Grading) addPoints(doc *results, rs []*run.Result) {
	doc.Learner = g.Learner
	doc.Lessons = []LessonResult{}
	next := 0
	for _, r := range rs {
		points := g.score(r)
		doc.Lessons = append(doc.Lessons, LessonResult{ID: r.Lesson.ID, Verdict: string(r.Verdict),
			CaughtUp: points.Origin == score.CaughtUp, Untouched: points.Origin == score.Stub,
			Score: points.Score, MaxScore: points.Max})
		for _, t := range points.Tests {
			doc.Tests[next].Score, doc.Tests[next].MaxScore = t.Score, t.Max
			next++
		}
		if _, ok := extraEntry(r); ok {
			next++
		}
	}
	doc.Score, doc.MaxScore = g.total(rs)
}

// points prints a number of points as briefly as it is exact: 41, 41.5,
// 3.33.
func points(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// junitPoints are a lesson's points as JUnit suite properties (the schema
// has no place for them on a test case): the lesson's score and maximum,
// whether it was caught up or untouched, the learner, and each assertion's
// points as
// "points: <assertion>" = "<score>/<max>".
func (g Grading) junitPoints(r *run.Result) []junitProperty {
	p := g.score(r)
	props := []junitProperty{
		{"score", points(p.Score)},
		{"max_score", points(p.Max)},
		{"caught_up", strconv.FormatBool(p.Origin == score.CaughtUp)},
		{"untouched", strconv.FormatBool(p.Origin == score.Stub)},
	}
	if g.Learner != "" {
		props = append(props, junitProperty{"learner", g.Learner})
	}
	for i, a := range r.Assertions {
		props = append(props, junitProperty{"points: " + a.Name, points(p.Tests[i].Score) + "/" + points(p.Tests[i].Max)})
	}
	return props
}
