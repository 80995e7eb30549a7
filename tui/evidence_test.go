package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/checker"
)

// seqScanPlan is the author page's plan without an index, as Postgres 17
// gives it on the blog fixture: parallel workers scan the whole table and
// sort what is left.
func seqScanPlan() *checker.Plan {
	return &checker.Plan{
		PlanningTime: 0.62, ExecutionTime: 122.4,
		Root: &checker.PlanNode{
			NodeType: "Limit", ActualRows: 20, ActualLoops: 1, ActualTotalTime: 122.3, SharedHitBlocks: 24943,
			Plans: []*checker.PlanNode{{
				NodeType: "Gather Merge", ActualRows: 20, ActualLoops: 1, ActualTotalTime: 122.2, SharedHitBlocks: 24943,
				Plans: []*checker.PlanNode{{
					NodeType: "Sort", SortKey: []string{"created_at DESC"}, SortMethod: "top-N heapsort",
					ActualRows: 14, ActualLoops: 3, ActualTotalTime: 96.6, SharedHitBlocks: 24943,
					Plans: []*checker.PlanNode{{
						NodeType: "Seq Scan", ParallelAware: true, RelationName: "posts", Alias: "posts",
						Filter: "(author_id = 42)", ActualRows: 16674, ActualLoops: 3, ActualTotalTime: 90.3,
						RowsRemovedByFilter: 316659, SharedHitBlocks: 24943,
					}},
				}},
			}},
		},
	}
}

// indexPlan is the same query once the right index exists.
func indexPlan() *checker.Plan {
	return &checker.Plan{
		PlanningTime: 0.15, ExecutionTime: 0.06,
		Root: &checker.PlanNode{
			NodeType: "Limit", ActualRows: 20, ActualLoops: 1, ActualTotalTime: 0.05, SharedHitBlocks: 24,
			Plans: []*checker.PlanNode{{
				NodeType: "Index Scan", IndexName: "posts_author_created_idx", RelationName: "posts",
				IndexCond: "(author_id = 42)", ActualRows: 20, ActualLoops: 1, ActualTotalTime: 0.04, SharedHitBlocks: 24,
			}},
		},
	}
}

func evidence(before, after *checker.Plan) checker.Evidence {
	return checker.Evidence{PlanBefore: before, PlanAfter: after}
}

func timingEvidence(baseline, candidate float64) checker.Evidence {
	return checker.Evidence{Timing: &checker.Timing{
		Baseline: "without an index", Candidate: "with your index",
		BaselineMS: make([]float64, 7), CandidateMS: make([]float64, 7),
		BaselineMedianMS: baseline, CandidateMedianMS: candidate, Ratio: baseline / candidate, Warmups: 2,
	}}
}

func countsEvidence(counts map[string]int64) checker.Evidence {
	return checker.Evidence{Counts: counts}
}

func TestPlanView(t *testing.T) {
	st := newTheme(true)
	for _, tc := range []struct {
		name string
		plan *checker.Plan
	}{
		{"seq-scan", seqScanPlan()},
		{"index", indexPlan()},
	} {
		for _, width := range []int{40, 76} {
			t.Run(fmt.Sprintf("%s-%d", tc.name, width), func(t *testing.T) {
				lines := planView(st, tc.plan, width)
				for _, l := range lines {
					if w := ansi.StringWidth(l); w > width {
						t.Errorf("line %q is %d cells wide, more than %d", ansi.Strip(l), w, width)
					}
				}
				golden(t, "plan", strings.Join(lines, "\n"))
			})
		}
	}
}

// The nodes a learner must notice are marked in the text itself, so they
// stand out with NO_COLOR too; the others are not.
func TestPlanViewMarksSeqScanAndSort(t *testing.T) {
	text := ansi.Strip(strings.Join(planView(newTheme(true), seqScanPlan(), 80), "\n"))
	for _, want := range []string{"▲ Sort by created_at DESC", "▲ Parallel Seq Scan on posts", "rows 50,022 in 3 loops", "removed 949,977 by filter"} {
		if !strings.Contains(text, want) {
			t.Errorf("the plan does not show %q:\n%s", want, text)
		}
	}
	for _, calm := range []string{"▲ Limit", "▲ Gather"} {
		if strings.Contains(text, calm) {
			t.Errorf("the plan marks %q, which is not a node to worry about", calm)
		}
	}
	if text := ansi.Strip(strings.Join(planView(newTheme(true), indexPlan(), 80), "\n")); strings.Contains(text, "▲") {
		t.Errorf("an index plan is marked:\n%s", text)
	}
}

func TestTimingView(t *testing.T) {
	st := newTheme(true)
	for _, tc := range []struct {
		name                string
		baseline, candidate float64
		wantRatio           string
	}{
		{name: "faster", baseline: 96, candidate: 0.8, wantRatio: "120× faster"},
		{name: "slower", baseline: 10, candidate: 25, wantRatio: "2.5× slower"},
		{name: "even", baseline: 50, candidate: 51, wantRatio: "about as fast"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := timingEvidence(tc.baseline, tc.candidate)
			lines := timingView(st, ev.Timing, 70)
			text := ansi.Strip(strings.Join(lines, "\n"))
			if !strings.Contains(text, tc.wantRatio) {
				t.Errorf("the timing does not say %q:\n%s", tc.wantRatio, text)
			}
			// The bars share one scale: the slower side has the longer bar.
			base, cand := strings.Count(lines[0], "█"), strings.Count(lines[1], "█")
			if (tc.baseline > tc.candidate) != (base > cand) && tc.baseline != tc.candidate {
				t.Errorf("bars of %d and %d cells for medians %v and %v", base, cand, tc.baseline, tc.candidate)
			}
			golden(t, "timing", text)
		})
	}
}

// Statements and commands are counted until the learner asks for them.
func TestSentViewOnDemand(t *testing.T) {
	st := newTheme(true)
	ev := checker.Evidence{
		Queries: []checker.SQLStatement{
			{Kind: checker.KindQuery, SQL: "SELECT id FROM posts\n WHERE author_id = $1", Args: []string{"42"}, DurationMS: 0.31},
			{Kind: checker.KindBatchQuery, SQL: "SELECT * FROM users WHERE id = $1", Args: []string{"7"}, Batch: 1},
		},
		Commands: []checker.RedisCommand{{Name: "GET", Args: []string{"user:7"}}, {Name: "SET", Args: []string{"user:7", "{…}", "EX", "60"}, Pipeline: 1}},
	}
	hidden := ansi.Strip(strings.Join(sentView(st, ev, 80, false), "\n"))
	if hidden != "2 statements and 2 Redis commands recorded · v shows them" {
		t.Errorf("without details: %q", hidden)
	}
	shown := ansi.Strip(strings.Join(sentView(st, ev, 80, true), "\n"))
	golden(t, "details", shown)
}
