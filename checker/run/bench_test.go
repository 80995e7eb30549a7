package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/testenv"
)

// BenchmarkCheckPhases splits a check into its phases (compile, prepare,
// the learner's role, run, the witness, cleanup), with a warm environment
// and build cache, for lessons of different shapes: one index and a
// baseline (explain-index), Redis (cache-aside), a plan of page 10,000
// (cursor-pagination), a migration under live traffic (online-migration)
// and a point-in-time restore (backup-restore). Each iteration lays the
// solution with a changed declaration over the stub (a code edit: a
// comment alone would let Go skip the link). The role and the witness are what the trust model costs a
// check, reported apart. The whole edit-to-verdict, through the dblings
// binary, is internal/cli's BenchmarkEditToVerdict.
func BenchmarkCheckPhases(b *testing.B) {
	for _, id := range []string{"explain-index", "cache-aside", "cursor-pagination", "online-migration", "backup-restore"} {
		b.Run(id, func(b *testing.B) { benchPhases(b, id) })
	}
}

func benchPhases(b *testing.B, id string) {
	lesson := testenv.Lesson(b, id)
	root := testenv.Root()
	solution, err := os.ReadFile(filepath.Join(root, lesson.SolutionPath()))
	if err != nil {
		b.Fatal(err)
	}
	env := servers.Get(b)
	if needs := lesson.Needs(); needs.Archive || needs.Replica {
		env = testenv.StartFor(b, needs) // the shared servers have neither
	}
	check := func(edit int) run.Timings {
		// A package-level variable changes the compiled package, so Go links
		// again, as after a learner's real edit (a comment would not).
		content := fmt.Appendf(append([]byte{}, solution...), "\nvar benchEdit%d = %d\n", max(edit, 0), time.Now().UnixNano())
		res, err := run.Check(context.Background(), lesson, run.Options{
			Workspace: root, Env: env, Source: testenv.Source(),
			Replace: map[string][]byte{lesson.ExercisePath(): content},
		})
		if err != nil || !res.Pass() {
			b.Fatalf("the solution did not pass: %v %+v", err, res)
		}
		return res.Timings
	}
	check(-1) // loads the fixture template and warms the build cache
	phases := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := check(i)
		for name, d := range map[string]time.Duration{"compile": t.Compile, "prepare": t.Prepare, "role": t.Role,
			"run": t.Run, "witness": t.Witness, "cleanup": t.Cleanup, "verdict": t.Total()} {
			phases[name] = append(phases[name], d)
		}
	}
	b.StopTimer()
	for name, samples := range phases {
		testenv.ReportSecondsAs(b, name, samples)
	}
}
