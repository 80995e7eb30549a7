package checker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

func testCompare(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	sleep := func(seconds string) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.Pool().Exec(ctx, "SELECT pg_sleep("+seconds+")")
			return err
		}
	}
	broken := errors.New("broken on purpose")
	fail := func(context.Context) error { return broken }

	tests := []struct {
		name        string
		baseline    func(context.Context) error
		candidate   func(context.Context) error
		opts        []checker.TimingOption
		samples     int
		ratio       func(float64) bool
		failedLabel string
	}{
		{
			name:     "a ten times faster candidate",
			baseline: sleep("0.02"), candidate: sleep("0.002"),
			opts:    []checker.TimingOption{checker.WithLabels("slow", "fast")},
			samples: 7,
			ratio:   func(r float64) bool { return r > 3 },
		},
		{
			name:     "a slower candidate has a ratio below one",
			baseline: sleep("0.002"), candidate: sleep("0.02"),
			samples: 7,
			ratio:   func(r float64) bool { return r < 0.5 },
		},
		{
			name:     "a spent budget still gives three samples",
			baseline: sleep("0.01"), candidate: sleep("0.01"),
			opts:    []checker.TimingOption{checker.WithBudget(time.Millisecond), checker.WithSamples(20)},
			samples: 3,
			ratio:   func(r float64) bool { return r > 0 },
		},
		{
			name:     "a failing candidate is named",
			baseline: sleep("0.001"), candidate: fail,
			opts:        []checker.TimingOption{checker.WithLabels("offset paging", "keyset paging")},
			failedLabel: "keyset paging",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timing, err := checker.Compare(c.Ctx(), tt.baseline, tt.candidate, tt.opts...)
			if tt.failedLabel != "" {
				var te *checker.TimingError
				if !errors.As(err, &te) || te.Label != tt.failedLabel || !errors.Is(err, broken) {
					t.Fatalf("err = %v, want a TimingError for %q", err, tt.failedLabel)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Log(timing)
			if len(timing.BaselineMS) != tt.samples || len(timing.CandidateMS) != tt.samples {
				t.Errorf("samples: %d and %d, want %d each", len(timing.BaselineMS), len(timing.CandidateMS), tt.samples)
			}
			if !tt.ratio(timing.Ratio) {
				t.Errorf("ratio %.2f out of range: %s", timing.Ratio, timing)
			}
			if timing.BaselineMedianMS < 1 || timing.Warmups != 2 {
				t.Errorf("median %.3f ms, warm-ups %d", timing.BaselineMedianMS, timing.Warmups)
			}
		})
	}
}
