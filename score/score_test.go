package score_test

import (
	"testing"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/score"
)

func result(v run.Verdict, points int, as ...run.Assertion) *run.Result {
	return &run.Result{Lesson: lessons.Lesson{ID: "l", Points: points}, Verdict: v, Assertions: as}
}

func ok(name string) run.Assertion     { return run.Assertion{Name: name, OK: true} }
func failed(name string) run.Assertion { return run.Assertion{Name: name} }

func weighed(a run.Assertion, w float64) run.Assertion { a.Weight = w; return a }

func TestOf(t *testing.T) {
	tests := []struct {
		name   string
		result *run.Result
		origin score.Origin
		score  float64
		tests  []score.Test
	}{
		{"passed earns all", result(run.Passed, 10, ok("plan"), ok("ratio")), score.Own, 10,
			[]score.Test{{Score: 5, Max: 5}, {Score: 5, Max: 5}}},
		{"plan right, ratio wrong earns part", result(run.Failed, 10, ok("plan"), failed("ratio")), score.Own, 5,
			[]score.Test{{Score: 5, Max: 5}, {Score: 0, Max: 5}}},
		{"weights share the points", result(run.Failed, 12, weighed(ok("plan"), 3), failed("ratio")), score.Own, 9,
			[]score.Test{{Score: 9, Max: 9}, {Score: 0, Max: 3}}},
		{"thirds are rounded to cents", result(run.Failed, 10, ok("a"), ok("b"), failed("c")), score.Own, 6.67,
			[]score.Test{{Score: 3.33, Max: 3.33}, {Score: 3.33, Max: 3.33}, {Score: 0, Max: 3.33}}},
		{"caught up earns nothing", result(run.Passed, 10, ok("plan")), score.CaughtUp, 0,
			[]score.Test{{Score: 0, Max: 10}}},
		{"an untouched stub earns nothing", result(run.Failed, 10, ok("query unchanged"), failed("plan")), score.Stub, 0,
			[]score.Test{{Score: 0, Max: 5}, {Score: 0, Max: 5}}},
		{"disputed earns nothing", result(run.Disputed, 10, ok("plan"), failed("witness")), score.Own, 0,
			[]score.Test{{Score: 0, Max: 5}, {Score: 0, Max: 5}}},
		{"a crash earns nothing", result(run.Panicked, 10, ok("plan")), score.Own, 0,
			[]score.Test{{Score: 0, Max: 10}}},
		{"a timeout earns nothing", result(run.TimedOut, 10, ok("plan")), score.Own, 0,
			[]score.Test{{Score: 0, Max: 10}}},
		{"no assertions", result(run.CompileError, 10), score.Own, 0, []score.Test{}},
		{"a lesson worth nothing", result(run.Passed, 0, ok("plan")), score.Own, 0,
			[]score.Test{{Score: 0, Max: 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := score.Of(tt.result, tt.origin)
			if got.Score != tt.score || got.Max != float64(tt.result.Lesson.Points) || got.Origin != tt.origin {
				t.Errorf("score %v/%v origin %v, want %v/%d %v", got.Score, got.Max, got.Origin, tt.score, tt.result.Lesson.Points, tt.origin)
			}
			if len(got.Tests) != len(tt.tests) {
				t.Fatalf("tests %v, want %v", got.Tests, tt.tests)
			}
			for i := range got.Tests {
				if got.Tests[i] != tt.tests[i] {
					t.Errorf("test %d: %+v, want %+v", i, got.Tests[i], tt.tests[i])
				}
			}
		})
	}
}

func TestTotal(t *testing.T) {
	lessons := []score.Lesson{
		score.Of(result(run.Passed, 10, ok("a")), score.Own),
		score.Of(result(run.Failed, 10, ok("a"), failed("b"), failed("c")), score.Own),
		score.Of(result(run.CompileError, 20), score.Own),
	}
	got, max := score.Total(lessons)
	if got != 13.33 || max != 40 {
		t.Errorf("total %v/%v, want 13.33/40", got, max)
	}
}
