package checker

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Timing is a measurement of a candidate (the learner's code) against a
// baseline (the slow way), both run in the same process on the same
// servers, so that only their ratio matters.
type Timing struct {
	Baseline  string `json:"baseline"`  // label of the baseline
	Candidate string `json:"candidate"` // label of the candidate
	// Samples in milliseconds, in the order they were taken.
	BaselineMS        []float64 `json:"baseline_ms"`
	CandidateMS       []float64 `json:"candidate_ms"`
	BaselineMedianMS  float64   `json:"baseline_median_ms"`
	CandidateMedianMS float64   `json:"candidate_median_ms"`
	// Ratio is the baseline median over the candidate median: 10 means the
	// candidate was ten times faster, 0.5 that it was twice as slow.
	Ratio float64 `json:"ratio"`
	// Warmups is how many unmeasured runs of each preceded the samples.
	Warmups int `json:"warmups"`
}

// String summarises the measurement for a message.
func (t Timing) String() string {
	return fmt.Sprintf("%s: median %s, %s: median %s (%d samples each), ratio %.1f×",
		t.Baseline, formatMS(t.BaselineMedianMS), t.Candidate, formatMS(t.CandidateMedianMS),
		len(t.CandidateMS), t.Ratio)
}

// TimingOption changes how [Compare] measures.
type TimingOption func(*timingConfig)

type timingConfig struct {
	warmups, samples, minSamples int
	budget                       time.Duration
	baseline, candidate          string
}

// WithWarmups sets how many unmeasured runs of each side come first, to fill
// caches and prepare statements (default 2).
func WithWarmups(n int) TimingOption { return func(c *timingConfig) { c.warmups = max(n, 0) } }

// WithSamples sets how many measured runs of each side to take (default 7,
// at least 3).
func WithSamples(n int) TimingOption {
	return func(c *timingConfig) { c.samples = max(n, c.minSamples) }
}

// WithBudget bounds the whole measurement, warm-ups included (default 20s).
// Once it is spent no new sample starts, but every side still gets at least
// three samples, the fewest a median means anything with.
func WithBudget(d time.Duration) TimingOption { return func(c *timingConfig) { c.budget = d } }

// WithLabels names the two sides in the evidence and messages (default
// "baseline" and "your code").
func WithLabels(baseline, candidate string) TimingOption {
	return func(c *timingConfig) { c.baseline, c.candidate = baseline, candidate }
}

// Compare times baseline and candidate: warm-up runs first, then samples
// taken in turns so that both sides see the same machine load, on medians,
// which ignore the odd sample a busy CI machine spoils.
//
// Timing is supporting evidence. A check passes or fails first on what does
// not vary with load (rows scanned, buffers, round trips, final values) and
// compares the ratio with a threshold that leaves room for a loaded 2-core
// machine; the threshold is the check's business. Never grade on an
// absolute time.
//
// When a run fails, Compare returns the samples taken so far and a
// *[TimingError] saying which side failed.
func Compare(ctx context.Context, baseline, candidate func(context.Context) error, opts ...TimingOption) (Timing, error) {
	cfg := timingConfig{warmups: 2, samples: 7, minSamples: 3, budget: 20 * time.Second,
		baseline: "baseline", candidate: "your code"}
	for _, o := range opts {
		o(&cfg)
	}
	t := Timing{Baseline: cfg.baseline, Candidate: cfg.candidate, Warmups: cfg.warmups}
	sides := [2]struct {
		label string
		fn    func(context.Context) error
		out   *[]float64
	}{{cfg.baseline, baseline, &t.BaselineMS}, {cfg.candidate, candidate, &t.CandidateMS}}

	start := time.Now()
	for range cfg.warmups {
		for _, s := range sides {
			if _, err := timeOne(ctx, s.fn); err != nil {
				return t, &TimingError{Label: s.label, Sample: 0, Err: err}
			}
		}
	}
	for i := range cfg.samples {
		if i >= cfg.minSamples && time.Since(start) > cfg.budget {
			break
		}
		// Alternate who goes first (A B, B A, …): whatever the first run
		// of a pair warms up for the second then favours neither side.
		order := []int{0, 1}
		if i%2 == 1 {
			order = []int{1, 0}
		}
		for _, k := range order {
			ms, err := timeOne(ctx, sides[k].fn)
			if err != nil {
				t.finish()
				return t, &TimingError{Label: sides[k].label, Sample: i + 1, Err: err}
			}
			*sides[k].out = append(*sides[k].out, ms)
		}
	}
	t.finish()
	return t, nil
}

// timeOne runs fn once and returns its wall time in milliseconds.
func timeOne(ctx context.Context, fn func(context.Context) error) (float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	start := time.Now()
	err := fn(ctx)
	return float64(time.Since(start).Nanoseconds()) / 1e6, err
}

// finish computes the medians and the ratio from the samples.
func (t *Timing) finish() {
	t.BaselineMedianMS = median(t.BaselineMS)
	t.CandidateMedianMS = median(t.CandidateMS)
	if t.BaselineMedianMS == 0 {
		t.Ratio = 0
		return
	}
	// A floor of one microsecond keeps the ratio finite, and JSON-encodable.
	t.Ratio = t.BaselineMedianMS / max(t.CandidateMedianMS, 0.001)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 0 {
		return (s[mid-1] + s[mid]) / 2
	}
	return s[mid]
}
