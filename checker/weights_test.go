package checker_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

func scenarioWeights(t *testing.T) {
	c := checker.New(t, checker.WithWeights(checker.Weights{"plan": 3, "bad weight": -1}))
	c.Assert("plan", true, "Index Scan", checker.Evidence{})
	if c.Timeable("ratio") { // every assertion so far held
		c.Assert("ratio", true, "4× faster", checker.Evidence{})
	}
	c.Assert("bad weight", true, "fine, but weighed wrong", checker.Evidence{})
}

// testWeightsAreRecorded: a weight from the check's table travels with its
// record; an assertion the table does not name records the default (0,
// read as 1); a weight that is not positive fails the check, the author's
// mistake, and keeps the default.
func testWeightsAreRecorded(t *testing.T, env *sandbox.Env) {
	_, report := startServers(t, env)
	out, passed := runScenario(t, "weights", time.Minute)
	if passed || !strings.Contains(out, `the weight of "bad weight" is -1; weights are positive numbers`) {
		t.Errorf("a check with a negative weight: passed %v, output:\n%s", passed, out)
	}
	want := map[string]float64{"plan": 3, "ratio": 0, "bad weight": 0}
	recs := readReport(t, report)
	if len(recs) != len(want) {
		t.Fatalf("records %+v, want %d", recs, len(want))
	}
	for _, r := range recs {
		if w, ok := want[r.Name]; !ok || r.Weight != w || !r.OK {
			t.Errorf("record %q: weight %v ok %v, want weight %v", r.Name, r.Weight, r.OK, w)
		}
	}
}
