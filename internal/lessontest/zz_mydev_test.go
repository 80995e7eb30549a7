//go:build mydev

package lessontest

import (
	"os"
	"strings"
	"testing"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

// Temporary: runs one lesson not yet in the catalog (DEV_LESSON=id:dir:file:fixture, DEV_CASES=stub,solution,<answer>...).
func TestMyDev(t *testing.T) {
	parts := strings.Split(os.Getenv("DEV_LESSON"), ":")
	l := lessons.Lesson{ID: parts[0], Dir: parts[1], File: parts[2], Fixture: parts[3], PostgresServers: 1}
	env := testenv.Start(t, 1)
	for _, name := range strings.Split(os.Getenv("DEV_CASES"), ",") {
		t.Run(name, func(t *testing.T) {
			opts := run.Options{Workspace: repoRoot(t), Env: env}
			switch name {
			case "stub":
				opts.Mode = run.Stub
			case "solution":
				opts.Mode = run.Solution
			default:
				content, err := os.ReadFile("testdata/" + l.ID + "/" + name + ".go")
				if err != nil {
					t.Fatal(err)
				}
				opts.Replace = map[string][]byte{l.ExercisePath(): content}
			}
			res, err := run.Check(t.Context(), l, opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: verdict %s %s\n%s", name, res.Verdict, res.Message, describe(res))
			for _, a := range res.Assertions {
				if a.Evidence.Timing != nil {
					t.Logf("timing %s: %s base=%v cand=%v", a.Name, a.Evidence.Timing, a.Evidence.Timing.BaselineMS, a.Evidence.Timing.CandidateMS)
				}
			}
		})
	}
}
