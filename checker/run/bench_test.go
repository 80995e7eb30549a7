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

// BenchmarkCheckPhases splits one check of lesson 1 into its phases
// (compile, prepare, run, cleanup), with a warm environment and build cache:
// each iteration lays the solution with a changed declaration over the stub
// (a code edit: a comment alone would let Go skip the link). The whole
// edit-to-verdict, through the dblings binary, is internal/cli's
// BenchmarkEditToVerdict.
func BenchmarkCheckPhases(b *testing.B) {
	lesson := testenv.Lesson(b, "explain-index")
	root := testenv.Root()
	solution, err := os.ReadFile(filepath.Join(root, lesson.SolutionPath()))
	if err != nil {
		b.Fatal(err)
	}
	env := servers.Get(b)
	check := func(edit int) run.Timings {
		content := fmt.Appendf(append([]byte{}, solution...), "\nvar _ = \"edit %d at %d\"\n", edit, time.Now().UnixNano())
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
	var sum run.Timings
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := check(i)
		sum.Compile += t.Compile
		sum.Prepare += t.Prepare
		sum.Run += t.Run
		sum.Cleanup += t.Cleanup
	}
	n := float64(b.N)
	b.ReportMetric(float64(sum.Compile.Milliseconds())/n, "ms-compile")
	b.ReportMetric(float64(sum.Prepare.Milliseconds())/n, "ms-prepare")
	b.ReportMetric(float64(sum.Run.Milliseconds())/n, "ms-run")
	b.ReportMetric(float64(sum.Total().Milliseconds())/n, "ms-verdict")
}
