package tui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/workspace"
)

// checkWith opens lesson 1 and checks it, the servers ready, the checker
// answering res.
func checkWith(t *testing.T, width, height int, res *run.Result, opts ...labOption) *lab {
	t.Helper()
	l := newLab(t, width, height, opts...)
	l.checker.result = res
	l.start()
	l.openFirst()
	l.press("c")
	l.finishCheck()
	return l
}

func TestCheckResults(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *run.Result
		want []string // what the learner must see without scrolling
	}{
		{"failed", failedResult(), []string{"✗ failed · 6.0s", "2 of 4 assertions failed", "✗ no Seq Scan on posts", "▲ Parallel Seq Scan on posts", "Plan before"}},
		{"passed", passedResult(), []string{"✓ passed · 3.9s", "✓ no Seq Scan on posts", "Next: 02 · Kill the N+1 query with one round trip  press n"}},
		{"compile-error", compileErrorResult(), []string{"✗ does not compile", "exercises/01-explain-index/index.go:12:5", "undefined: db.Exek"}},
		{"panic", panicResult(), []string{"✗ panicked", "assignment to entry in nil map", "exercises/01-explain-index/index.go:14", "explainindex.Migrate"}},
		{"timeout", timeoutResult(), []string{"✗ timed out", "the check ran longer than 2m0s", "exercises/01-explain-index/index.go:20"}},
		{"environment", erroredResult(), []string{"! could not judge your code", "not your code", "could not create the check's database"}},
	} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				l := checkWith(t, size[0], size[1], tc.res)
				screen := l.screen()
				assertFits(t, screen, size[0], size[1])
				for _, want := range tc.want {
					if !strings.Contains(ansi.Strip(screen), want) {
						t.Errorf("the check screen does not show %q", want)
					}
				}
				golden(t, "check", screen)
			})
		}
	}
}

func TestCheckRunning(t *testing.T) {
	l := newLab(t, 80, 24)
	l.checker.block = true
	l.start()
	l.openFirst()
	l.press("c")
	if l.state != stateCheck || l.check.state != checkRunning {
		t.Fatalf("c shows %v in state %v, want a running check", l.state, l.check.state)
	}
	l.send(checkPhaseMsg{id: l.check.id, phase: run.PhaseCompiling})
	l.clock = l.clock.Add(2100 * time.Millisecond)
	l.send(checkPhaseMsg{id: l.check.id, phase: run.PhasePreparing})
	l.clock = l.clock.Add(1300 * time.Millisecond)
	screen := ansi.Strip(l.screen())
	for _, want := range []string{"preparing database · 3.4s", "✓ compiling           2.1s", "preparing database  1.3s", "· running"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the running check does not show %q:\n%s", want, screen)
		}
	}
	golden(t, "running", l.screen())

	// x stops it, and the run's context ends.
	l.press("x")
	if l.check.running() {
		t.Fatal("x did not stop the check")
	}
	waitDone(t, l.checker.ctxs[0])
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "■ stopped") {
		t.Errorf("a stopped check does not say so:\n%s", got)
	}
}

// A check asked for while the servers start waits for them, then runs.
func TestCheckWaitsForServers(t *testing.T) {
	ready := make(chan struct{})
	l := newLab(t, 80, 24, withStart(func(ctx context.Context) (*sandbox.Env, func(), error) {
		<-ready
		return testEnv, func() {}, nil
	}))
	l.Init()
	l.openFirst()
	l.press("c")
	if l.check.state != checkWaiting {
		t.Fatalf("the check is %v while the servers start, want waiting", l.check.state)
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "waiting for the servers") || !strings.Contains(got, "○ servers · starting") {
		t.Errorf("the screen does not say the check waits for the servers:\n%s", got)
	}
	if l.checker.callCount() != 0 {
		t.Fatal("the check ran before the servers were ready")
	}
	close(ready)
	l.deliver(l.send(l.env.wait()))
	l.finishCheck()
	if l.checker.callCount() != 1 || l.check.result == nil {
		t.Errorf("after the servers came up: %d checks, result %v", l.checker.callCount(), l.check.result)
	}
}

// When the servers cannot start, the status line and the check say why,
// and the learner's progress is left alone.
func TestCheckWhenServersFail(t *testing.T) {
	l := newLab(t, 80, 24, withStart(func(context.Context) (*sandbox.Env, func(), error) {
		return nil, nil, errors.New("no Docker engine answered and no local postgres was found: install Docker or PostgreSQL")
	}), func(o *Options) { o.Provider = "docker" })
	l.start()
	l.openFirst()
	l.press("c")
	screen := ansi.Strip(l.screen())
	for _, want := range []string{"✗ docker · failed: no Docker engine answered", "✗ could not check · not your code", "install Docker or", "dblings doctor"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen does not show %q:\n%s", want, screen)
		}
	}
	golden(t, "servers-failed", l.screen())
	if s := l.ws.Progress(testLessons()[0]).Status; s != progress.NotTried {
		t.Errorf("a check that could not run left the lesson %q", s)
	}
}

func TestCheckRecordsProgress(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *run.Result
		want progress.Status
	}{
		{"pass", passedResult(), progress.Passed},
		{"fail", failedResult(), progress.Failed},
		{"compile error", compileErrorResult(), progress.Failed},
		{"servers broke mid-run", erroredResult(), progress.NotTried},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := checkWith(t, 80, 24, tc.res)
			reopened, err := progress.Open(l.workspace) // as another process would
			if err != nil {
				t.Fatal(err)
			}
			if got := reopened.Lesson("explain-index").Status; got != tc.want {
				t.Errorf("the progress file says %q, want %q", got, tc.want)
			}
			l.press("esc", "esc")
			if got := ansi.Strip(l.screen()); !strings.Contains(got, "01  EXPLAIN: flip a Seq Scan to an Index Scan") ||
				!strings.Contains(got, statusText(tc.want)) {
				t.Errorf("the lessons screen does not show %q for lesson 1:\n%s", statusText(tc.want), got)
			}
		})
	}
}

// After a pass, n opens the next unfinished lesson.
func TestCheckPassOffersNext(t *testing.T) {
	l := checkWith(t, 80, 24, passedResult(), solved("n-plus-one"))
	if l.check.next == nil || l.check.next.lesson.ID != "cache-aside" {
		t.Fatalf("after a pass the next lesson offered is %v, want cache-aside (n-plus-one has passed)", l.check.next)
	}
	l.press("n")
	if l.state != stateLesson || l.lesson.lesson.ID != "cache-aside" {
		t.Errorf("n shows %v %q, want the cache-aside lesson", l.state, l.lesson.lesson.ID)
	}
}

func TestCheckDetailsOnDemand(t *testing.T) {
	res := failedResult()
	res.Assertions[0].Evidence.Queries = []checker.SQLStatement{{SQL: "CREATE INDEX posts_created_idx ON posts (created_at)"}}
	res.Output = "--- FAIL: TestExplainIndex (5.12s)\n"
	l := checkWith(t, 80, 24, res)
	if strings.Contains(ansi.Strip(l.check.vp.GetContent()), "CREATE INDEX posts_created_idx") {
		t.Fatal("the statements show before v")
	}
	l.press("v")
	content := ansi.Strip(l.check.vp.GetContent())
	for _, want := range []string{"CREATE INDEX posts_created_idx ON posts (created_at)", "Timings", "compile 2.1s", "--- FAIL: TestExplainIndex"} {
		if !strings.Contains(content, want) {
			t.Errorf("v does not show %q:\n%s", want, content)
		}
	}
}

// A save re-checks the lesson by itself; a newer save cancels the older
// run, whose late result changes nothing.
func TestWatchRechecks(t *testing.T) {
	l := newLab(t, 80, 24)
	l.checker.block = true
	l.start()
	l.send(fileSavedMsg{index: 0, file: "index.go"})
	if l.state != stateCheck || !l.check.running() {
		t.Fatalf("a save shows %v, want a running check", l.state)
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "started by saving index.go") {
		t.Errorf("the check does not say what started it:\n%s", got)
	}
	first := l.check.id
	waitCalls(t, l.checker, 1)
	l.send(fileSavedMsg{index: 0, file: "index.go"})
	waitDone(t, l.checker.ctxs[0])
	waitCalls(t, l.checker, 2)

	l.send(checkDoneMsg{id: first, result: passedResult()})
	if l.check.result != nil || l.ws.Progress(testLessons()[0]).Status != progress.NotTried {
		t.Error("the result of a cancelled run was taken")
	}
	l.send(checkDoneMsg{id: l.check.id, result: passedResult()})
	if l.check.result == nil || !l.check.result.Pass() {
		t.Error("the result of the newest run was not taken")
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "✓ passed · 3.9s · after you saved index.go") {
		t.Errorf("the verdict does not say which save it checked:\n%s", got)
	}
}

// Checks run one at a time: a new run starts only once the one it
// replaced has returned (and so removed its databases).
func TestRunsOneAtATime(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var active, most int
	c := checkerFunc(func(ctx context.Context) {
		mu.Lock()
		active++
		most = max(most, active)
		mu.Unlock()
		<-ctx.Done()
		<-release // the cancelled run takes a while to clean up
		mu.Lock()
		active--
		mu.Unlock()
	})
	r := newRuns(c)
	ctx1, cancel1 := context.WithCancel(context.Background())
	first := r.start(ctx1, 1, lessons.Lesson{}, nil)
	cancel1()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	second := r.start(ctx2, 2, lessons.Lesson{}, nil)
	time.Sleep(50 * time.Millisecond) // the second would start now if it could
	close(release)
	drain(first)
	cancel2()
	drain(second)
	r.wait()
	mu.Lock()
	defer mu.Unlock()
	if most != 1 {
		t.Errorf("%d checks ran at once, want 1", most)
	}
}

type checkerFunc func(ctx context.Context)

func (f checkerFunc) Check(ctx context.Context, _ lessons.Lesson, _ *sandbox.Env, _ func(run.Phase)) (*run.Result, error) {
	f(ctx)
	return nil, ctx.Err()
}

func drain(ch <-chan tea.Msg) {
	for range ch {
	}
}

func waitDone(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the run was not cancelled")
	}
}

func waitCalls(t *testing.T, f *fakeChecker, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for f.callCount() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d checks started, want %d", f.callCount(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Canned results of the other verdicts.

func compileErrorResult() *run.Result {
	return &run.Result{
		Lesson: testLessons()[0], Verdict: run.CompileError, Message: "your code does not compile",
		CompileErrors: []run.Diagnostic{
			{File: "exercises/01-explain-index/index.go", Line: 12, Column: 5, Message: "undefined: db.Exek"},
			{File: "exercises/01-explain-index/index.go", Line: 14, Message: "missing return"},
		},
		Timings: run.Timings{Compile: 1200 * time.Millisecond},
	}
}

func panicResult() *run.Result {
	return &run.Result{
		Lesson: testLessons()[0], Verdict: run.Panicked, Message: "your code panicked",
		Crash: &run.Crash{Message: "assignment to entry in nil map", Frames: []run.Frame{
			{Function: "explainindex.Migrate", File: "exercises/01-explain-index/index.go", Line: 14},
		}},
		Assertions: []run.Assertion{{Name: "plan before your migration", OK: true, Message: "ran without error"}},
		Timings:    run.Timings{Compile: 1500 * time.Millisecond, Prepare: 500 * time.Millisecond, Run: 300 * time.Millisecond},
	}
}

func timeoutResult() *run.Result {
	return &run.Result{
		Lesson: testLessons()[0], Verdict: run.TimedOut, Message: "the check ran longer than 2m0s and was stopped",
		Crash: &run.Crash{Message: "the check ran longer than 2m0s", Frames: []run.Frame{
			{Function: "explainindex.Migrate", File: "exercises/01-explain-index/index.go", Line: 20},
		}},
		Timings: run.Timings{Compile: 1500 * time.Millisecond, Run: 2 * time.Minute},
	}
}

func erroredResult() *run.Result {
	return &run.Result{
		Lesson: testLessons()[0], Verdict: run.Errored,
		Message: "could not create the check's database: connection refused",
	}
}

// A check goes on while the learner reads: esc leaves it running, its
// spinner keeps turning, and its result lands in the progress.
func TestCheckRunsInTheBackground(t *testing.T) {
	l := newLab(t, 80, 24)
	l.checker.block = true
	l.start()
	l.openFirst()
	l.press("c", "esc")
	if l.state != stateLesson || !l.check.running() {
		t.Fatalf("after esc: screen %v, check running %v", l.state, l.check.running())
	}
	if cmd := l.send(spinner.TickMsg{ID: l.check.spinner.ID(), Time: l.clock}); cmd == nil {
		t.Error("the spinner of the check stopped while the lesson shows")
	}
	l.send(checkDoneMsg{id: l.check.id, result: passedResult()})
	if s := l.ws.Progress(testLessons()[0]).Status; s != progress.Passed {
		t.Errorf("a check that ended in the background left the lesson %q", s)
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "✓ passed") {
		t.Errorf("the lesson screen does not show the pass:\n%s", got)
	}
}

// With every other lesson passed, a pass offers nothing and n shows the
// list with a word of congratulation.
func TestCheckPassOfLastLesson(t *testing.T) {
	l := checkWith(t, 80, 24, passedResult(), solved("n-plus-one", "cache-aside"))
	if l.check.next != nil {
		t.Errorf("a lesson is offered after the last one: %v", l.check.next.lesson.ID)
	}
	if strings.Contains(ansi.Strip(l.screen()), "Next:") {
		t.Error("the screen offers a next lesson")
	}
	l.press("n")
	if got := ansi.Strip(l.screen()); l.state != stateLessons || !strings.Contains(got, "Every lesson has passed") || !strings.Contains(got, "3 of 3 passed") {
		t.Errorf("n after the last lesson shows %v:\n%s", l.state, got)
	}
}

// TestLabAndCommandsAgreeOnTheCurrentLesson: the lab and the command line
// go through one workspace rule. After a pass in the lab, the command line
// (a second Workspace on the same folder, as another process) is on the
// lesson the lab offers next; a pass recorded by the command line shows in
// the open lab at the next key, and the lab's later writes keep it.
func TestLabAndCommandsAgreeOnTheCurrentLesson(t *testing.T) {
	l := checkWith(t, 80, 24, passedResult())
	if l.check.next == nil {
		t.Fatal("the lab offers no next lesson after a pass")
	}
	cli, err := workspace.Open(l.workspace, testLessons(), l.ws.Source())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cli.Current().ID, l.check.next.lesson.ID; got != want {
		t.Fatalf("the command line is on %s, the lab offers %s", got, want)
	}
	l.press("n")
	if l.state != stateLesson || l.lesson.lesson.ID != cli.Current().ID {
		t.Fatalf("n opened %v %s, want the lesson the command line is on, %s", l.state, l.lesson.lesson.ID, cli.Current().ID)
	}

	third := testLessons()[2]
	if err := cli.RecordRun(third, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	l.press("esc")
	if got := ansi.Strip(l.screen()); !regexp.MustCompile(`03  Cache-aside.*✓ passed`).MatchString(got) {
		t.Errorf("the lab does not show the pass recorded by the command line:\n%s", got)
	}
	l.press("enter") // opening a lesson writes the progress
	again, err := workspace.Open(l.workspace, testLessons(), l.ws.Source())
	if err != nil {
		t.Fatal(err)
	}
	if again.Progress(third).Status != progress.Passed {
		t.Error("the lab's later write erased the command line's pass")
	}
}
