//go:build ignore

// Wrong: the rank is p × n truncated, used as a 1-based rank: one request
// short whenever p × n is not a whole number (the nearest rank rounds up).
//
//dblings:answer failed over=solution assertion="P50, P95 and P99" says="one rank short"
package observability

import "time"

func nearestRank(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(p) / 100 * float64(len(sorted)))
	return sorted[max(rank, 1)-1]
}
