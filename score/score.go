// Package score turns check results into points. A lesson is worth the
// points its manifest gives it (lesson.toml, points); they are shared
// among the assertions its check recorded, in proportion to their weights
// (checker.WithWeights, 1 by default). A passed check earns them all, a
// failed one the shares of the assertions that held: partial credit, so a
// lesson with its plan right and its timing wrong earns part.
//
// A check that did not run to its end (it did not compile, crashed, timed
// out, or the servers failed) earns nothing: the assertions it never
// reached cannot be counted. Neither does a disputed one, whose own report
// the databases contradict, a lesson caught up with `dblings catch-up`,
// whose passing code is the reference solution, nor an exercise still as
// it was shipped, whose guard assertions ("the given query is unchanged")
// hold without any work.
package score

import (
	"math"

	"github.com/dblings/dblings/checker/run"
)

// Origin is where the code a check judged came from.
type Origin int

// The origins.
const (
	// Own: the learner's code.
	Own Origin = iota
	// CaughtUp: the reference solution laid by catch-up.
	CaughtUp
	// Stub: the exercise as it was shipped, untouched.
	Stub
)

// Lesson is one lesson's points.
type Lesson struct {
	Score, Max float64
	// Origin is where the judged code came from; only the learner's own
	// earns points.
	Origin Origin
	// Tests are the points of each assertion, in the result's order.
	Tests []Test
}

// Test is one assertion's points: Max is its share of the lesson, Score
// what it earned.
type Test struct {
	Score, Max float64
}

// Of scores a check's result on code of the given origin.
func Of(r *run.Result, origin Origin) Lesson {
	points := float64(r.Lesson.Points)
	l := Lesson{Max: points, Origin: origin, Tests: make([]Test, len(r.Assertions))}
	total := 0.0
	for _, a := range r.Assertions {
		total += weight(a)
	}
	earns := credited(r.Verdict) && origin == Own
	for i, a := range r.Assertions {
		share := points * weight(a) / total
		l.Tests[i].Max = Round(share)
		if earns && a.OK {
			l.Tests[i].Score = Round(share)
			l.Score += share
		}
	}
	l.Score = Round(l.Score)
	return l
}

// weight is an assertion's weight, 1 unless the check gave another.
func weight(a run.Assertion) float64 {
	if a.Weight > 0 {
		return a.Weight
	}
	return 1
}

// credited reports whether a verdict lets the assertions that held earn
// their share: only a check that ran to its end and was not disputed.
func credited(v run.Verdict) bool { return v == run.Passed || v == run.Failed }

// Total is the score and the maximum of several lessons.
func Total(lessons []Lesson) (score, max float64) {
	for _, l := range lessons {
		score += l.Score
		max += l.Max
	}
	return Round(score), Round(max)
}

// Round keeps two decimals, as every report shows points.
func Round(x float64) float64 { return math.Round(x*100) / 100 }
