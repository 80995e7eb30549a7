package check

import (
	"strings"
	"testing"
	"time"
)

func TestNearestRank(t *testing.T) {
	ms := func(n int) []time.Duration {
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = time.Duration(i+1) * time.Millisecond
		}
		return out
	}
	for _, tc := range []struct {
		n, permille int
		want        time.Duration
	}{
		{1, 990, time.Millisecond},
		{20, 950, 19 * time.Millisecond}, // 0.95 × 20 = 19 exactly
		{21, 950, 20 * time.Millisecond}, // ceil(19.95)
		{349, 500, 175 * time.Millisecond},
		{349, 990, 346 * time.Millisecond}, // ceil(345.51)
		{100, 990, 99 * time.Millisecond},
	} {
		if got := nearestRank(ms(tc.n), tc.permille); got != tc.want {
			t.Errorf("nearestRank of 1..%d ms at %d‰ = %s, want %s", tc.n, tc.permille, got, tc.want)
		}
	}
}

func TestRatioMistake(t *testing.T) {
	b := blocks{HeapHit: 900, HeapRead: 100, IdxHit: 500, IdxRead: 10}
	for _, tc := range []struct {
		got  float64
		want string
	}{
		{9, "hits divided by reads"},
		{1400.0 / 1510, "index blocks"},
		{500.0 / 510, "index hit ratio"},
		{0.5, "Sum the counters"},
	} {
		if msg := ratioMistake(tc.got, b); !strings.Contains(msg, tc.want) {
			t.Errorf("ratioMistake(%v) = %q, want it to say %q", tc.got, msg, tc.want)
		}
	}
}
