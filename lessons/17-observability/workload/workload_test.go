package workload

import (
	"reflect"
	"strings"
	"testing"
)

// TestPlans: every seed gives an odd number of requests (so that no
// percentile's rank is a whole number), far more N+1 calls than report
// calls, its own plan every time, and statements with no constant left in
// them for pg_stat_statements to rewrite.
func TestPlans(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(200) {
		p := For(seed)
		if !reflect.DeepEqual(p, For(seed)) {
			t.Fatalf("seed %d: two plans differ", seed)
		}
		if p.Requests()%2 == 0 {
			t.Errorf("seed %d: %d requests, want an odd number", seed, p.Requests())
		}
		if calls, slow := p.NPlusOneCalls(), p.SlowCalls(); calls < 400*slow || slow < 2 {
			t.Errorf("seed %d: %d N+1 calls against %d reports", seed, calls, slow)
		}
		if p.Held >= int(p.PoolSize) {
			t.Errorf("seed %d: the check would hold %d of %d connections", seed, p.Held, p.PoolSize)
		}
		if n := strings.Count(p.Slow, "$"); n != len(p.SlowArgs()) {
			t.Errorf("seed %d: the report has %d parameters and %d arguments", seed, n, len(p.SlowArgs()))
		}
		seen[p.NPlusOne+p.Slow] = true
	}
	if len(seen) != len(nPlusOne)*len(slow) {
		t.Errorf("200 seeds planted %d of the %d pairs of statements", len(seen), len(nPlusOne)*len(slow))
	}
}
