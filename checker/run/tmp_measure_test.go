package run_test

import (
	"context"
	"testing"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/testenv"
)

func TestTmpMeasure(t *testing.T) {
	env := testenv.Start(t, 1)
	ws := newWorkspace(t)
	for i := 0; i < 4; i++ {
		opts := options(ws, env)
		opts.Mode = run.Solution
		r, err := run.Check(context.Background(), testLesson, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: compile %s, prepare %s, run %s, cleanup %s", r.Verdict, r.Timings.Compile, r.Timings.Prepare, r.Timings.Run, r.Timings.Cleanup)
	}
}
