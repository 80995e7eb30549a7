package checker_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

func testReportUnderConcurrentAssertions(t *testing.T, env *sandbox.Env) {
	_, report := startServers(t, env)
	c := checker.New(t)
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c.Assert(fmt.Sprintf("assertion %03d", i), true, "fine",
				checker.Evidence{Details: map[string]any{"padding": fmt.Sprintf("%0500d", i)}})
		})
	}
	wg.Wait()

	recs := readReport(t, report)
	if len(recs) != n {
		t.Fatalf("report has %d records, want %d", len(recs), n)
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	for i, name := range names {
		if want := fmt.Sprintf("assertion %03d", i); name != want {
			t.Fatalf("record %d is %q, want %q: lost or garbled lines", i, name, want)
		}
	}
}

func testReportKeepsUnencodableEvidence(t *testing.T, env *sandbox.Env) {
	_, report := startServers(t, env)
	c := checker.New(t)
	c.Assert("odd evidence", true, "still recorded", checker.Evidence{Details: map[string]any{"chan": make(chan int)}})
	recs := readReport(t, report)
	if len(recs) != 1 || recs[0].Name != "odd evidence" || recs[0].Evidence.Details["evidence_error"] == nil {
		t.Errorf("records = %+v", recs)
	}
}

// TestEvidenceShape pins the JSON the runner and the TUI decode.
func TestEvidenceShape(t *testing.T) {
	plan, err := checker.ParsePlan([]byte(parallelPlan))
	if err != nil {
		t.Fatal(err)
	}
	rec := checker.Record{
		Name:    "no Seq Scan on posts",
		Message: "Seq Scan on posts, 299,700 rows removed by filter; expected an Index Scan whose leading column is author_id",
		Evidence: checker.Evidence{
			Plan: plan, PlanBefore: plan, PlanAfter: plan,
			Timing:   &checker.Timing{Baseline: "no index", Candidate: "your index", BaselineMS: []float64{20}, CandidateMS: []float64{1}, Ratio: 20},
			Queries:  []checker.SQLStatement{{Kind: checker.KindBatchQuery, SQL: "INSERT INTO t VALUES ($1)", Args: []string{"1"}, Batch: 1}},
			Commands: []checker.RedisCommand{{Name: "GET", Args: []string{"user:1"}}},
			Counts:   map[string]int64{"rows_scanned": 300_000},
			Details:  map[string]any{"index": "posts_author_idx"},
		},
	}
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var shape struct {
		Name     string                     `json:"name"`
		OK       *bool                      `json:"ok"`
		Message  string                     `json:"message"`
		Evidence map[string]json.RawMessage `json:"evidence"`
	}
	if err := json.Unmarshal(data, &shape); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range shape.Evidence {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"commands", "counts", "details", "plan", "plan_after", "plan_before", "queries", "timing"}
	if !slices.Equal(keys, want) || shape.OK == nil || shape.Name == "" || shape.Message == "" {
		t.Errorf("record shape: keys %v, want %v; %s", keys, want, data)
	}
	var planKeys map[string]json.RawMessage
	if err := json.Unmarshal(shape.Evidence["plan"], &planKeys); err != nil || planKeys["Plan"] == nil || planKeys["Execution Time"] == nil {
		t.Errorf("plan does not use EXPLAIN's keys: %s", shape.Evidence["plan"])
	}

	back, err := checker.ReadRecords(append(append(data, '\n'), '\n'))
	if err != nil || len(back) != 1 {
		t.Fatalf("ReadRecords = %v, %v", back, err)
	}
	if back[0].Evidence.Plan.String() != plan.String() || back[0].Evidence.Queries[0].Batch != 1 {
		t.Errorf("evidence changed on the way through JSON")
	}

	empty, _ := json.Marshal(checker.Record{Name: "x"})
	if string(empty) != `{"name":"x","ok":false,"message":"","evidence":{}}` {
		t.Errorf("empty record = %s", empty)
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {999_980, "999,980"},
		{1_000_000, "1,000,000"}, {-24_500, "-24,500"},
	}
	for _, tt := range tests {
		if got := checker.FormatCount(tt.n); got != tt.want {
			t.Errorf("FormatCount(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
