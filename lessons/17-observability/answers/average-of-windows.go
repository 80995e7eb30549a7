//go:build ignore

// Wrong: takes each window's percentiles, as a metrics agent reports them,
// and averages them. Busy windows and quiet ones average into a P95 that
// no request had.
//
//dblings:answer failed over=solution assertion="P50, P95 and P99" says="average of each window"
package observability

import (
	"slices"
	"time"
)

func Latency(windows [][]time.Duration) Percentiles {
	var sum Percentiles
	for _, w := range windows {
		s := slices.Clone(w)
		slices.Sort(s)
		sum.P50 += nearestRank(s, 50)
		sum.P95 += nearestRank(s, 95)
		sum.P99 += nearestRank(s, 99)
	}
	n := time.Duration(len(windows))
	return Percentiles{P50: sum.P50 / n, P95: sum.P95 / n, P99: sum.P99 / n}
}
