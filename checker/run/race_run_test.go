package run_test

import (
	"context"
	"testing"

	"github.com/dblings/dblings/checker/run"
)

// TestRaceDetector: with Options.Race a data race fails the check with
// both of the learner's lines, even though the count came out right; the
// right answer still passes.
func TestRaceDetector(t *testing.T) {
	env := servers.Get(t)
	ws := newWorkspace(t)
	tests := []struct {
		name    string
		mode    run.Mode
		answer  string
		verdict run.Verdict
		says    string // the race assertion's message; "" when it must not be there
	}{
		{name: "a race fails at the learner's line", answer: "race.go", verdict: run.Failed,
			says: " it at exercises/90-runner/work.go:21 (CountUsers.func1), while goroutine"},
		{name: "the solution passes", mode: run.Solution, verdict: run.Passed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := options(t, ws, env)
			opts.Race, opts.Mode = true, tt.mode
			if tt.answer != "" {
				opts.Replace = answer(t, tt.answer)
			}
			r, err := run.Check(context.Background(), testLesson, opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.verdict {
				t.Fatalf("verdict = %s (%s), want %s\n%s", r.Verdict, r.Message, tt.verdict, r.Output)
			}
			if tt.says != "" {
				wantFailure(t, r, "no data race", tt.says)
				if !findAssertion(t, r, "counts the users").OK {
					t.Error("the count was right and must pass: the race alone fails the check")
				}
			}
		})
	}
}
