// Package lessontest proves each lesson's check on real servers: the right
// answers pass, and every wrong answer a learner would plausibly write
// fails for its own reason, with a message that teaches.
//
// The answers are those of lessons/<dir>/answers (see package answers):
// each is laid over the lesson's pristine stub, or over the base it names,
// and the resulting file is laid over the lesson's exercise the way
// "dblings verify" lays solutions; nothing in the workspace is touched.
// Every lesson of the catalog is tested, so a new lesson brings its answers
// and needs no test code.
package lessontest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/answers"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// servers is the package's one environment, with what the catalog's
// lessons need (a replica only when a lesson asks for one): TestAnswers
// and TestForgedFixture share it, so the blog data set (a million posts)
// loads once, not once for each.
var servers = &testenv.Shared{}

func TestMain(m *testing.M) { os.Exit(servers.Run(m)) }

// TestAnswers runs every answer of every lesson on one environment, as a
// room shares one: each data set is loaded once, and lessons on the same
// data (blog, users, accounts, sales) reuse its template.
//
// Only a right answer of a lesson whose check compares timings needs the
// machine to itself: its pass rests on the ratio. So does an answer whose
// directive says alone=…: it floods the server (a connection per request),
// and the checks beside it would wait behind it. Those run first, one at a
// time, each lesson's then followed by its other answers side by side
// (their verdicts rest on plans, counts and states, whatever the ratio
// says). The other lessons run last, side by side, and so do their
// answers, each on clones of its own (as many at once as -parallel
// allows). Go holds a parallel subtest until its parent's function returns,
// which gives that order.
//
// A lesson with a lagged replica (servers.replica_lag) runs beside the
// others, but its answers run one after the other: the apply delay is the
// replica server's, and a second check on it would set or lift it.
func TestAnswers(t *testing.T) {
	root := testenv.Root()
	catalog := testenv.Catalog(t)
	env := servers.Get(t)
	var laggedReplica sync.Mutex
	for _, l := range catalog {
		timed := comparesTimings(t, l)
		t.Run(l.ID, func(t *testing.T) {
			set, err := answers.LoadSet(filepath.Join(root, answers.Dir(l.Dir)),
				filepath.Join(root, l.ExercisePath()), filepath.Join(root, l.SolutionPath()))
			if err != nil {
				t.Fatal(err)
			}
			withVerify(t, set, filepath.Join(root, l.ExercisePath()), filepath.Join(root, l.SolutionPath()))
			alone := func(a *answers.Answer) bool {
				return timed && a.Expect.Verdict == answers.Passed || a.Alone != ""
			}
			oneAtATime := l.ReplicaLag > 0
			if oneAtATime || !slices.ContainsFunc(set.Answers, alone) {
				t.Parallel()
			}
			for _, a := range set.Answers {
				t.Run(a.Name, func(t *testing.T) {
					if !alone(a) && !oneAtATime {
						t.Parallel()
					}
					if oneAtATime { // and one lagged lesson at a time
						laggedReplica.Lock()
						defer laggedReplica.Unlock()
					}
					start := time.Now()
					res := check(t, env, l, set.Files[a.Name])
					logPhases(t, time.Since(start), res.Timings)
					requireExpected(t, a.Expect, res)
				})
			}
		})
	}
}

// withVerify adds to a lesson's answers what "dblings verify" proves, on
// the servers the answers share: the reference solution, a right answer
// (grade's test proves it on a variant of the data too), and the untouched
// stub, a wrong one, unless an answer of the set is the stub already.
func withVerify(t *testing.T, set *answers.Set, stubPath, solutionPath string) {
	t.Helper()
	stub, err := os.ReadFile(stubPath)
	if err != nil {
		t.Fatal(err)
	}
	solution, err := os.ReadFile(solutionPath)
	if err != nil {
		t.Fatal(err)
	}
	added := []*answers.Answer{{Name: answers.Solution, Path: solutionPath, Expect: answers.Expectation{Verdict: answers.Passed}}}
	set.Files[answers.Solution] = solution
	if !slices.ContainsFunc(set.Answers, func(a *answers.Answer) bool { return bytes.Equal(set.Files[a.Name], stub) }) {
		const name = "stub-as-shipped"
		added = append(added, &answers.Answer{Name: name, Path: stubPath, Expect: answers.Expectation{Verdict: answers.Failed}})
		set.Files[name] = stub
	}
	set.Answers = append(added, set.Answers...)
}

// logPhases keeps where a check's time went, for whoever reads CI's log
// to make the suite faster.
func logPhases(t *testing.T, wall time.Duration, p run.Timings) {
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	t.Logf("%s in all: compile %s, prepare %s, role %s, run %s, witness %s, cleanup %s", ms(wall),
		ms(p.Compile), ms(p.Prepare), ms(p.Role), ms(p.Run), ms(p.Witness), ms(p.Cleanup))
}

// comparesTimings says whether the lesson's check times the learner's code
// against a baseline (checker.Compare).
func comparesTimings(t *testing.T, l lessons.Lesson) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.Root(), "lessons", l.Dir, "check", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("lesson %s has no check package: %v", l.ID, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "checker.Compare(") {
			return true
		}
	}
	return false
}

// check runs the lesson's check on content laid over its exercise file.
func check(t *testing.T, env *sandbox.Env, l lessons.Lesson, content []byte) *run.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := run.Check(ctx, l, run.Options{
		Workspace: testenv.Root(),
		Source:    testenv.Source(),
		Env:       env,
		Replace:   map[string][]byte{l.ExercisePath(): content},
		// As grade builds it, so that a data race is an answer too.
		Race: l.Race,
	})
	if err != nil {
		t.Fatalf("run check: %v", err)
	}
	return res
}

// requireExpected compares a result with what the answer's directive says.
func requireExpected(t *testing.T, want answers.Expectation, res *run.Result) {
	t.Helper()
	if res.Verdict != run.Verdict(want.Verdict) {
		t.Fatalf("verdict %s, want %s: %s\n%s", res.Verdict, want.Verdict, res.Message, describe(res))
	}
	switch {
	case want.Assertion != "":
		requireFailedAssertion(t, want, res)
	case want.Says != "" && !strings.Contains(describe(res), want.Says):
		t.Errorf("the check does not say %q:\n%s", want.Says, describe(res))
	}
}

// requireFailedAssertion finds the failed assertion the answer names and
// checks that its message holds the answer's phrase.
func requireFailedAssertion(t *testing.T, want answers.Expectation, res *run.Result) {
	t.Helper()
	for _, as := range res.Assertions {
		if !as.OK && strings.Contains(as.Name, want.Assertion) {
			if !strings.Contains(as.Message, want.Says) {
				t.Errorf("assertion %q failed, but its message does not say %q:\n%s", as.Name, want.Says, as.Message)
			}
			return
		}
	}
	t.Errorf("no failed assertion named like %q:\n%s", want.Assertion, describe(res))
}

func describe(res *run.Result) string {
	var b strings.Builder
	b.WriteString(res.Message + "\n")
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
