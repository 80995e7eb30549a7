package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dblings/dblings/checker"
)

// latencySlack is how far above the exact percentile an answer may land:
// 5%, room for a histogram with fine buckets, and not for a mean.
const latencySlack = 0.05

// percentile is one percentile the check asks for, in thousandths, so that
// ranks are computed in whole numbers.
type percentile struct {
	name     string
	permille int
	got      time.Duration
}

// nearestRank is the exact percentile of the samples: the smallest sample
// with at least p of them at or below it, the ceil(p × n)-th smallest.
func nearestRank(sorted []time.Duration, permille int) time.Duration {
	rank := (permille*len(sorted) + 999) / 1000
	return sorted[max(rank, 1)-1]
}

// checkLatency hands Latency a copy of the traffic's latencies, one slice
// per window, and compares each percentile with the nearest-rank
// percentile of all the requests together.
func checkLatency(c *checker.Check, ex Exercise, windows [][]time.Duration) {
	given := make([][]time.Duration, len(windows))
	var all []time.Duration
	for i, w := range windows {
		given[i] = slices.Clone(w)
		all = append(all, w...)
	}
	slices.Sort(all)
	got := ex.Latency(given)

	var problems, fine []string
	details := map[string]any{"requests": len(all)}
	for _, p := range []percentile{{"P50", 500, got.P50}, {"P95", 950, got.P95}, {"P99", 990, got.P99}} {
		want := nearestRank(all, p.permille)
		details[p.name] = map[string]string{"returned": p.got.String(), "exact": want.String()}
		upper := want + time.Duration(float64(want)*latencySlack)
		switch {
		case p.got < want:
			problems = append(problems, fmt.Sprintf("%s is %s, below %s, the exact %s of the %d requests: fewer than %s of them took %s or less. %s",
				p.name, p.got, want, p.name, len(all), pct(p.permille), p.got, latencyMistake(windows, all, p)))
		case p.got > upper:
			problems = append(problems, fmt.Sprintf("%s is %s, above %s, the exact %s of the %d requests (at most %s is allowed). %s",
				p.name, p.got, want, p.name, len(all), upper, latencyMistake(windows, all, p)))
		default:
			fine = append(fine, fmt.Sprintf("%s %s", p.name, p.got))
		}
	}
	msg := fmt.Sprintf("Latency found %s over the %d requests of every window together", strings.Join(fine, ", "), len(all))
	if len(problems) > 0 {
		msg = strings.Join(problems, " ")
	}
	c.Assert(latencyName, len(problems) == 0, msg, checker.Evidence{Details: details})
}

func pct(permille int) string { return fmt.Sprintf("%g%%", float64(permille)/10) }

// latencyMistake names the usual wrong way the answer matches, if any.
func latencyMistake(windows [][]time.Duration, all []time.Duration, p percentile) string {
	near := func(v time.Duration) bool {
		d := p.got - v
		return d >= -time.Microsecond && d <= time.Microsecond
	}
	var ofWindows, means time.Duration
	for _, w := range windows {
		s := slices.Clone(w)
		slices.Sort(s)
		ofWindows += nearestRank(s, p.permille) / time.Duration(len(windows))
		means += mean(w) / time.Duration(len(windows))
	}
	rank := (p.permille*len(all) + 999) / 1000
	switch {
	case near(ofWindows):
		return "That is the average of each window's " + p.name + ": percentiles do not average; put every window's requests together and take the " + p.name + " of them all."
	case near(means) || near(mean(all)):
		return "That is an average; a percentile is a request's latency that a given share of the requests does not exceed."
	case rank >= 2 && p.got == all[rank-2]:
		return fmt.Sprintf("That is the %d-th smallest, one rank short: the nearest rank is ceil(p × n) = %d, counted from 1.", rank-1, rank)
	}
	return "Sort every request's latency, then take the ceil(p × n)-th smallest (nearest rank)."
}

func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}
