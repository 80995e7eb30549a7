// Package lessontest proves each lesson's check on real servers: the
// reference solution and other right answers pass, and every wrong answer a
// learner would plausibly write fails for its own reason, with a message
// that teaches.
//
// An answer is a file in testdata/<lesson-id>/<case>.go, laid over the
// lesson's exercise file the way "dblings verify" lays solutions; nothing in
// the workspace is touched.
package lessontest

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// answer is one file laid over a lesson's exercise and what must come of it.
type answer struct {
	name string // testdata/<lesson-id>/<name>.go
	pass bool
	// failing names an assertion that must fail, and says a phrase its
	// message must contain, so each wrong answer fails for its own reason.
	failing, says string
	// verdict, when set, is the expected verdict (default: passed or failed).
	verdict run.Verdict
}

// checkAnswers runs every answer of a lesson on one shared environment.
func checkAnswers(t *testing.T, lessonID string, answers []answer) {
	t.Helper()
	lesson, err := lessons.Find(lessonID)
	if err != nil {
		t.Fatal(err)
	}
	env := testenv.Start(t, lesson.PostgresServers)
	for _, a := range answers {
		t.Run(a.name, func(t *testing.T) {
			res := checkFile(t, env, lesson, filepath.Join("testdata", lessonID, a.name+".go"))
			want := a.verdict
			if want == "" {
				want = run.Failed
				if a.pass {
					want = run.Passed
				}
			}
			if res.Verdict != want {
				t.Fatalf("verdict %s, want %s: %s\n%s", res.Verdict, want, res.Message, describe(res))
			}
			if a.failing == "" {
				return
			}
			for _, as := range res.Assertions {
				if !as.OK && strings.Contains(as.Name, a.failing) {
					if !strings.Contains(as.Message, a.says) {
						t.Errorf("assertion %q failed, but its message does not say %q:\n%s", as.Name, a.says, as.Message)
					}
					return
				}
			}
			t.Errorf("no failed assertion named like %q:\n%s", a.failing, describe(res))
		})
	}
}

func checkFile(t *testing.T, env *sandbox.Env, lesson lessons.Lesson, path string) *run.Result {
	t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := run.Check(ctx, lesson, run.Options{
		Workspace: repoRoot(t),
		Env:       env,
		Replace:   map[string][]byte{lesson.ExercisePath(): content},
	})
	if err != nil {
		t.Fatalf("run check: %v", err)
	}
	return res
}

func describe(res *run.Result) string {
	var b strings.Builder
	for _, a := range res.Assertions {
		mark := "✓"
		if !a.OK {
			mark = "✗"
		}
		b.WriteString(mark + " " + a.Name + ": " + a.Message + "\n")
	}
	for _, d := range res.CompileErrors {
		b.WriteString(d.String() + "\n")
	}
	if res.Crash != nil {
		b.WriteString("crash: " + res.Crash.Message + "\n")
	}
	return b.String() + res.Output
}

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}
