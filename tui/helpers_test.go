package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/workspace"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares a rendered screen, colours stripped, with
// testdata/<test>/<name>.golden; -update rewrites the file.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = ansi.Strip(got)
	path := filepath.Join("testdata", filepath.FromSlash(t.Name()), name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./tui -update refreshes it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// assertFits fails when the screen is not exactly height lines of at most
// width cells: anything else overflows or leaves the status line floating.
func assertFits(t *testing.T, screen string, width, height int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != height {
		t.Errorf("the screen has %d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, w, width, ansi.Strip(l))
		}
	}
}

// The lessons of the tests: the first is lesson 1 of the real catalog, so
// the watcher and reset see its real paths; its text is fixed below.
func testLessons() lessons.Catalog {
	return lessons.Catalog{
		{ID: "explain-index", Dir: "01-explain-index", Title: "EXPLAIN: flip a Seq Scan to an Index Scan", File: "index.go"},
		{ID: "n-plus-one", Dir: "02-n-plus-one", Title: "Kill the N+1 query with one round trip", File: "posts.go"},
		{ID: "cache-aside", Dir: "03-cache-aside", Title: "Cache-aside with Redis, without stampedes", File: "cache.go"},
	}
}

const testText = "# A lesson\n\nRead the plan. `EXPLAIN` shows what Postgres does.\n\n## Your task\n\nAdd one index to make the query fast.\n"

var testHints = []string{"Look at the plan first.", "Filter column first, then the order column."}

const (
	testStub     = "package explainindex\n\n// TODO: add the index.\n"
	testSolution = "package explainindex\n\n// CREATE INDEX ON posts (author_id, created_at DESC)\n"
)

// fakeChecker hands out canned results. With block set, a check waits for
// its ctx to end, as a long run would.
type fakeChecker struct {
	mu     sync.Mutex
	result *run.Result
	block  bool
	calls  []string
	ctxs   []context.Context
}

func (f *fakeChecker) Check(ctx context.Context, l lessons.Lesson, _ *sandbox.Env, progress func(run.Phase)) (*run.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, l.ID)
	f.ctxs = append(f.ctxs, ctx)
	res, block := f.result, f.block
	f.mu.Unlock()
	progress(run.PhaseCompiling)
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	progress(run.PhasePreparing)
	progress(run.PhaseRunning)
	return res, nil
}

func (f *fakeChecker) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

var testEnv = &sandbox.Env{
	Provider: "local",
	Postgres: []sandbox.Server{{URL: "postgres://127.0.0.1:5432/postgres", Version: "17.6"}},
	Redis:    sandbox.Server{URL: "redis://127.0.0.1:6379/0", Version: "7.4.2"},
}

// lab is a model under test with its workspace and its fakes.
type lab struct {
	*model
	t         *testing.T
	workspace string
	checker   *fakeChecker
	clock     time.Time
}

type labOption func(*Options)

// withProgress records progress before the lab opens, as the command
// line would.
func withProgress(p func(*workspace.Workspace)) labOption {
	return func(o *Options) { p(o.Workspace) }
}

// reopen opens the lab again on prev's workspace, as a restart would.
func reopen(prev *lab) labOption {
	return func(o *Options) {
		w, err := workspace.Open(prev.workspace, testLessons(), o.Workspace.Source())
		if err != nil {
			prev.t.Fatal(err)
		}
		o.Workspace = w
	}
}

func withStart(start StartFunc) labOption { return func(o *Options) { o.Start = start } }

// newLab builds a model on a temporary workspace, sized width×height,
// with the servers ready unless an option says otherwise.
func newLab(t *testing.T, width, height int, opts ...labOption) *lab {
	t.Helper()
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "go.mod"), []byte("module example.com/ws\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range testLessons() {
		dir := filepath.Join(ws, "exercises", l.Dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, l.File), []byte("package x // edited\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	source := fstest.MapFS{
		"exercises/01-explain-index/index.go": {Data: []byte(testStub)},
		"solutions/01-explain-index/index.go": {Data: []byte(testSolution)},
	}
	w, err := workspace.Open(ws, testLessons(), source)
	if err != nil {
		t.Fatal(err)
	}
	fc := &fakeChecker{result: failedResult()}
	o := Options{
		Workspace: w,
		Start:     func(context.Context) (*sandbox.Env, func(), error) { return testEnv, func() {}, nil },
		checker:   fc,
	}
	for _, opt := range opts {
		opt(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	l := &lab{model: newModel(ctx, o), t: t, workspace: o.Workspace.Root(), checker: fc, clock: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	l.c.now = func() time.Time { return l.clock }
	l.c.text = func(lessons.Lesson) string { return testText }
	l.c.hints = func(lessons.Lesson) []string { return testHints }
	l.send(tea.WindowSizeMsg{Width: width, Height: height})
	return l
}

// start runs Init and delivers what its commands say, as the program would
// (the background colour answer aside).
func (l *lab) start() {
	l.t.Helper()
	l.Init()
	l.send(l.env.wait())
}

// send delivers msg and returns the command it produced.
func (l *lab) send(msg tea.Msg) tea.Cmd {
	_, cmd := l.Update(msg)
	return cmd
}

// press types keys, one message each, and delivers the messages their
// commands produce at once (not those that wait on a run or a file).
func (l *lab) press(keys ...string) {
	l.t.Helper()
	for _, k := range keys {
		l.deliver(l.send(keyPress(k)))
	}
}

// deliver runs cmd and feeds its message back, following batches, except
// for commands that would wait on a background run.
func (l *lab) deliver(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := runWithin(cmd, 50*time.Millisecond).(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
		// Ticks would animate forever; quitting is for the test to see.
	case tea.BatchMsg:
		for _, c := range msg {
			l.deliver(c)
		}
	default:
		l.deliver(l.send(msg))
	}
}

// quits reports whether cmd ends the program.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// finishCheck reads the current run's events until it ends, as the event
// loop would.
func (l *lab) finishCheck() {
	l.t.Helper()
	deadline := time.After(5 * time.Second)
	for l.check.state == checkRunning {
		select {
		case msg, ok := <-l.check.events:
			if !ok {
				l.t.Fatal("the run ended without a result")
			}
			l.send(msg)
		case <-deadline:
			l.t.Fatal("the run did not end")
		}
	}
}

// screen is the view as the terminal would show it.
func (l *lab) screen() string { return l.View().Content }

// runWithin runs a command, giving up on one that blocks (a wait on a
// channel nothing will write to in the test).
func runWithin(cmd tea.Cmd, d time.Duration) tea.Msg {
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		return msg
	case <-time.After(d):
		return nil
	}
}

func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// Canned results.

func failedResult() *run.Result {
	return &run.Result{
		Lesson:  testLessons()[0],
		Verdict: run.Failed,
		Message: "2 of 4 assertions failed",
		Timings: run.Timings{Compile: 2100 * time.Millisecond, Prepare: 900 * time.Millisecond, Run: 3 * time.Second},
		Assertions: []run.Assertion{
			{Name: "your migration runs", OK: true, Message: "ran without error"},
			{Name: "no Seq Scan on posts", OK: false,
				Message:  "Seq Scan on posts read the whole table, 999,999 rows removed by filter; expected an Index Scan on an index whose leading column is author_id",
				Evidence: evidence(seqScanPlan(), seqScanPlan())},
			{Name: "order served by the index", OK: false,
				Message:  "a Sort remains: Postgres finds 42 posts of the author and sorts them all to keep 20",
				Evidence: evidence(seqScanPlan(), seqScanPlan())},
			{Name: "faster than the table scan", OK: true, Message: "1.1 times faster than without an index",
				Evidence: timingEvidence(101.5, 92.3)},
		},
	}
}

func passedResult() *run.Result {
	return &run.Result{
		Lesson:  testLessons()[0],
		Verdict: run.Passed,
		Message: "all 3 assertions held",
		Timings: run.Timings{Compile: 1500 * time.Millisecond, Prepare: 400 * time.Millisecond, Run: 2 * time.Second},
		Assertions: []run.Assertion{
			{Name: "no Seq Scan on posts", OK: true, Message: "no Seq Scan on posts: the query reads only what it needs",
				Evidence: evidence(seqScanPlan(), indexPlan())},
			{Name: "far fewer pages read", OK: true, Message: "24,943 buffers before, 24 after",
				Evidence: countsEvidence(map[string]int64{"buffers_before": 24943, "buffers_after": 24})},
			{Name: "faster than the table scan", OK: true, Message: "120 times faster than without an index",
				Evidence: timingEvidence(96, 0.8)},
		},
	}
}
