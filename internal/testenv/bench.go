package testenv

import (
	"slices"
	"testing"
	"time"
)

// ReportSeconds reports the samples of a timed benchmark as its median and
// range, in seconds (s_p50, s_min, s_max): the figures make bench's table
// compares with their targets. A mean would let one slow sample on a shared
// machine move the figure.
func ReportSeconds(b *testing.B, samples []time.Duration) {
	b.Helper()
	ReportSecondsAs(b, "", samples)
}

// ReportSecondsAs is ReportSeconds for one of several figures of a
// benchmark, such as the phases of a check: the units carry the name
// (compile-s_p50, compile-s_min, compile-s_max).
func ReportSecondsAs(b *testing.B, name string, samples []time.Duration) {
	b.Helper()
	if len(samples) == 0 {
		return
	}
	prefix := ""
	if name != "" {
		prefix = name + "-"
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	b.ReportMetric(s[len(s)/2].Seconds(), prefix+"s_p50")
	b.ReportMetric(s[0].Seconds(), prefix+"s_min")
	b.ReportMetric(s[len(s)-1].Seconds(), prefix+"s_max")
}
