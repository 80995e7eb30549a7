package run_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// servers is the one environment the runner's tests share; each check
// makes and removes clones of its own on it.
var servers = &testenv.Shared{Servers: 1}

func TestMain(m *testing.M) { os.Exit(servers.Run(m)) }

// The runner's tests use a lesson of their own (testdata/exercises/90-runner:
// CountUsers must count the users) in a workspace made for each test:
// the project's go.mod and go.sum, and the stub. The check files and the
// checker library reach the build only through the runner's overlay.
var testLesson = lessons.Lesson{
	ID: "runner-test", Dir: "90-runner", Title: "Count the users", File: "work.go",
	Fixture: "users", PostgresServers: 1, Redis: true,
}

// testSource is the pristine tree the runner's tests build from: the
// project's go.mod and library packages, with the test lesson's check,
// stub and solution from testdata.
func testSource(t *testing.T) fs.FS {
	t.Helper()
	root := filepath.Join("..", "..")
	tree := fstest.MapFS{}
	add := func(from, to string) {
		err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				if d != nil && d.Name() == "testdata" && p != from {
					return filepath.SkipDir
				}
				return err
			}
			if p != filepath.Join(root, "go.mod") && !strings.HasSuffix(p, ".go") {
				return nil
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(from, p)
			tree[path.Join(to, filepath.ToSlash(rel))] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(filepath.Join(root, "go.mod"), "go.mod")
	add(filepath.Join(root, "checker"), "checker")
	add(filepath.Join(root, "fixtures"), "fixtures")
	add("testdata/exercises", "exercises")
	add("testdata/solutions", "solutions")
	return tree
}

// newWorkspace makes a learner's checkout holding only go.mod, go.sum and
// the untouched stub.
func newWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		copyFile(t, filepath.Join("..", "..", name), filepath.Join(ws, name))
	}
	copyFile(t, "testdata/exercises/90-runner/work.go", filepath.Join(ws, "exercises", "90-runner", "work.go"))
	return ws
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, data)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func answer(t *testing.T, name string) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "answers", name))
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"exercises/90-runner/work.go": data}
}

func options(t *testing.T, ws string, env *sandbox.Env) run.Options {
	return run.Options{Workspace: ws, Env: env, Timeout: 20 * time.Second, Source: testSource(t)}
}

func TestVerdicts(t *testing.T) {
	env := servers.Get(t)
	ws := newWorkspace(t)

	tests := []struct {
		name    string
		mode    run.Mode
		answer  string
		timeout time.Duration
		verdict run.Verdict
		check   func(t *testing.T, r *run.Result)
	}{
		{name: "solution passes", mode: run.Solution, verdict: run.Passed, check: func(t *testing.T, r *run.Result) {
			wantAssertions(t, r, "gets its own databases", "counts the users", "returns its connections")
		}},
		{name: "untouched stub fails with the check's message", mode: run.Learner, verdict: run.Failed, check: func(t *testing.T, r *run.Result) {
			wantFailure(t, r, "counts the users", "CountUsers returned an error: not done yet")
		}},
		{name: "wrong answer fails with numbers", answer: "wrong.go", verdict: run.Failed, check: func(t *testing.T, r *run.Result) {
			wantFailure(t, r, "counts the users", "CountUsers returned 100; the table has 10000 users")
			if got := findAssertion(t, r, "counts the users").Evidence.Counts["users"]; got != 10000 {
				t.Errorf("evidence users = %d, want 10000", got)
			}
		}},
		{name: "compile error points at the learner's line", answer: "nocompile.go", verdict: run.CompileError, check: func(t *testing.T, r *run.Result) {
			if len(r.CompileErrors) != 1 {
				t.Fatalf("compile errors = %v, want one", r.CompileErrors)
			}
			d := r.CompileErrors[0]
			if d.File != "exercises/90-runner/work.go" || d.Line != 11 || d.Column != 9 || !strings.Contains(d.Message, `cannot use "many"`) {
				t.Errorf("compile error = %q, want exercises/90-runner/work.go:11:9: cannot use \"many\" …", d)
			}
			if r.Timings.Prepare != 0 || r.Timings.Run != 0 {
				t.Errorf("a check that does not compile must not touch the database: %+v", r.Timings)
			}
		}},
		{name: "a renamed function breaks the check's call", answer: "renamed.go", verdict: run.CompileError, check: func(t *testing.T, r *run.Result) {
			if !strings.Contains(r.Message, "dblings reset") || len(r.CompileErrors) == 0 || !strings.HasSuffix(r.CompileErrors[0].File, "check_test.go") {
				t.Errorf("message %q, errors %v; want the check's file named and a way out", r.Message, r.CompileErrors)
			}
		}},
		{name: "panic shows the message and the learner's frame", answer: "panic.go", verdict: run.Panicked, check: func(t *testing.T, r *run.Result) {
			if !strings.Contains(r.Crash.Message, "assignment to entry in nil map") {
				t.Errorf("panic message = %q", r.Crash.Message)
			}
			wantFrames(t, r, run.Frame{Function: "CountUsers", File: "exercises/90-runner/work.go", Line: 12})
		}},
		{name: "endless loop times out and shows where", answer: "loop.go", timeout: 3 * time.Second, verdict: run.TimedOut, check: func(t *testing.T, r *run.Result) {
			if r.Timings.Run > 8*time.Second {
				t.Errorf("the run took %s, beyond the timeout and the grace", r.Timings.Run)
			}
			if len(r.Crash.Frames) == 0 || r.Crash.Frames[0].File != "exercises/90-runner/work.go" {
				t.Errorf("frames = %v, want the loop in work.go", r.Crash.Frames)
			}
		}},
		{name: "lock wait ends at lock_timeout and the held connection is reported", answer: "lockwait.go", verdict: run.Failed, check: func(t *testing.T, r *run.Result) {
			wantFailure(t, r, "counts the users", "lock timeout")
			wantFailure(t, r, "returns its connections", "1 connection(s) still checked out")
		}},
		{name: "lock wait without lock_timeout times out", answer: "lockforever.go", timeout: 3 * time.Second, verdict: run.TimedOut, check: func(t *testing.T, r *run.Result) {
			wantFrames(t, r, run.Frame{Function: "CountUsers", File: "exercises/90-runner/work.go", Line: 30})
		}},
		{name: "leaked connection is reported", answer: "leak.go", verdict: run.Failed, check: func(t *testing.T, r *run.Result) {
			wantFailure(t, r, "returns its connections", "1 connection(s) still checked out")
			if !findAssertion(t, r, "counts the users").OK {
				t.Error("the count was right and must pass")
			}
		}},
		{name: "os.Exit is a failure, not a pass", answer: "exit.go", verdict: run.Failed, check: func(t *testing.T, r *run.Result) {
			wantFailure(t, r, "TestCountUsers", "does the code call os.Exit")
		}},
		{name: "an empty endless loop is shown at its line", answer: "spin.go", timeout: 5 * time.Second, verdict: run.TimedOut, check: func(t *testing.T, r *run.Result) {
			wantFrames(t, r, run.Frame{File: "exercises/90-runner/work.go", Line: 12, Function: "CountUsers"})
		}},
		{name: "os.Exit in init is the learner's, not the check's", answer: "initexit.go", verdict: run.Failed, check: func(t *testing.T, r *run.Result) {
			wantFailure(t, r, "the check ran", "your code ended the process before the check began")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := options(t, ws, env)
			opts.Mode = tt.mode
			if tt.answer != "" {
				opts.Replace = answer(t, tt.answer)
			}
			if tt.timeout > 0 {
				opts.Timeout = tt.timeout
			}
			r, err := run.Check(context.Background(), testLesson, opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.verdict {
				t.Fatalf("verdict = %s (%s), want %s\n%s", r.Verdict, r.Message, tt.verdict, r.Output)
			}
			if len(r.Warnings) > 0 {
				t.Errorf("warnings: %v", r.Warnings)
			}
			tt.check(t, r)
			wantCleanedUp(t, env, r)
		})
	}
}

func findAssertion(t *testing.T, r *run.Result, name string) run.Assertion {
	t.Helper()
	for _, a := range r.Assertions {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no assertion %q in %+v", name, r.Assertions)
	return run.Assertion{}
}

func wantAssertions(t *testing.T, r *run.Result, names ...string) {
	t.Helper()
	var got []string
	for _, a := range r.Assertions {
		got = append(got, a.Name)
	}
	if !slices.Equal(got, names) {
		t.Errorf("assertions = %q, want %q", got, names)
	}
}

func wantFailure(t *testing.T, r *run.Result, name, text string) {
	t.Helper()
	a := findAssertion(t, r, name)
	if a.OK || !strings.Contains(a.Message, text) {
		t.Errorf("assertion %q = ok %v, %q; want a failure saying %q", name, a.OK, a.Message, text)
	}
}

func wantFrames(t *testing.T, r *run.Result, want ...run.Frame) {
	t.Helper()
	if r.Crash == nil || !slices.Equal(r.Crash.Frames, want) {
		t.Errorf("crash = %+v, want frames %v", r.Crash, want)
	}
}

// wantCleanedUp checks that the database the check recorded is gone and its
// Redis database is empty and unclaimed.
func wantCleanedUp(t *testing.T, env *sandbox.Env, r *run.Result) {
	t.Helper()
	var database, redisURL string
	for _, a := range r.Assertions {
		if a.Name == "gets its own databases" {
			database, _ = a.Evidence.Details["database"].(string)
			redisURL, _ = a.Evidence.Details["redis"].(string)
		}
	}
	if database == "" {
		neverRan := len(r.Assertions) == 1 && r.Assertions[0].Name == "the check ran"
		if r.Verdict != run.CompileError && r.Verdict != run.Panicked && !neverRan {
			t.Error("the check did not record its database")
		}
		return
	}
	if !strings.HasPrefix(database, "dbl_run_") {
		t.Errorf("the check ran on %q, not on a clone", database)
	}
	if databaseExists(t, env.Postgres[0].URL, database) {
		t.Errorf("database %s still exists after the check", database)
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	user := redis.NewClient(opts)
	defer user.Close()
	if err := user.Ping(context.Background()).Err(); err == nil {
		t.Errorf("the check's Redis user %s still works after the check", opts.Username)
	}
	server, err := redis.ParseURL(env.Redis.URL)
	if err != nil {
		t.Fatal(err)
	}
	server.DB = opts.DB
	rdb := redis.NewClient(server)
	defer rdb.Close()
	if n, err := rdb.DBSize(context.Background()).Result(); err != nil || n != 0 {
		t.Errorf("redis database %d holds %d keys after the check (%v)", opts.DB, n, err)
	}
	claims, err := redis.ParseURL(env.Redis.URL)
	if err != nil {
		t.Fatal(err)
	}
	admin := redis.NewClient(claims)
	defer admin.Close()
	if n, err := admin.Exists(context.Background(), fmt.Sprintf("dblings:check-db:%d", opts.DB)).Result(); err != nil || n != 0 {
		t.Errorf("redis database %d is still claimed after the check (%v)", opts.DB, err)
	}
}

func databaseExists(t *testing.T, adminURL, name string) bool {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestEditedCheckCheckerAndFixturesHaveNoEffect(t *testing.T) {
	env := servers.Get(t)
	ws := newWorkspace(t)
	lessonDir := filepath.Join(ws, "exercises", "90-runner")
	// A learner "fixes" the check: always passing, plus an extra test file,
	// a checker/ that panics on load, and a fixtures/ whose facts differ and
	// that starts work of its own, as a forged pass could.
	writeFile(t, filepath.Join(lessonDir, "check_test.go"), []byte("//go:build dblings\n\npackage runner\n\nimport \"testing\"\n\nfunc TestCountUsers(t *testing.T) {}\n"))
	writeFile(t, filepath.Join(lessonDir, "extra_test.go"), []byte("package runner\n\nfunc init() { panic(\"extra test file was compiled\") }\n"))
	writeFile(t, filepath.Join(ws, "checker", "evil.go"), []byte("package checker\n\nfunc init() { panic(\"edited checker was compiled\") }\n"))
	writeFile(t, filepath.Join(ws, "fixtures", "users.go"), []byte("package fixtures\n\nconst UsersCount = 7\n"))
	writeFile(t, filepath.Join(ws, "fixtures", "evil.go"), []byte("package fixtures\n\nfunc init() { panic(\"edited fixtures was compiled\") }\n"))

	r, err := run.Check(context.Background(), testLesson, options(t, ws, env))
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != run.Failed {
		t.Fatalf("verdict = %s (%s), want failed: the pristine check must run\n%s", r.Verdict, r.Message, r.Output)
	}
	wantFailure(t, r, "counts the users", "not done yet")
	for _, name := range []string{"check_test.go", "extra_test.go"} {
		if _, err := os.Stat(filepath.Join(lessonDir, name)); err != nil {
			t.Errorf("the learner's %s must be left alone: %v", name, err)
		}
	}
}

func TestProgressAndTimings(t *testing.T) {
	env := servers.Get(t)
	opts := options(t, newWorkspace(t), env)
	opts.Mode = run.Solution
	var phases []run.Phase
	opts.Progress = func(p run.Phase) { phases = append(phases, p) }

	r, err := run.Check(context.Background(), testLesson, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != run.Passed {
		t.Fatalf("verdict = %s (%s)\n%s", r.Verdict, r.Message, r.Output)
	}
	want := []run.Phase{run.PhaseCompiling, run.PhasePreparing, run.PhaseRunning}
	if !slices.Equal(phases, want) {
		t.Errorf("phases = %v, want %v", phases, want)
	}
	tm := r.Timings
	if tm.Compile <= 0 || tm.Prepare <= 0 || tm.Run <= 0 {
		t.Errorf("every phase must be timed: %+v", tm)
	}
	t.Logf("compile %s, prepare %s, run %s, cleanup %s", tm.Compile, tm.Prepare, tm.Run, tm.Cleanup)
}

func TestCancelStopsTheRunAndCleansUp(t *testing.T) {
	env := servers.Get(t)
	opts := options(t, newWorkspace(t), env)
	opts.Replace = answer(t, "lockforever.go")
	opts.Timeout = time.Minute

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	cancelled := make(chan time.Time, 1)
	opts.Progress = func(p run.Phase) {
		if p == run.PhaseRunning {
			once.Do(func() {
				time.AfterFunc(2*time.Second, func() {
					cancelled <- time.Now()
					cancel()
				})
			})
		}
	}
	before := countClones(t, env)
	_, err := run.Check(ctx, testLesson, opts)
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// From the cancel to the return: killing the check and removing its
	// databases, role and folder; compiling and loading came before.
	took := time.Since(<-cancelled)
	t.Logf("the cancelled check returned %s after the cancel", took)
	if took > 20*time.Second {
		t.Errorf("cancelling took %s", took)
	}
	if after := countClones(t, env); after > before {
		t.Errorf("%d clones before, %d after a cancelled check", before, after)
	}
}

// countClones counts the check databases on the server. Other tests may
// clone at the same time, so only "no more than before" is meaningful.
func countClones(t *testing.T, env *sandbox.Env) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, env.Postgres[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname LIKE 'dbl\_run\_%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSeriesCompilesAheadAndKeepsOrder(t *testing.T) {
	env := servers.Get(t)
	ws := newWorkspace(t)
	var jobs []run.Job
	for _, tc := range []struct {
		mode   run.Mode
		answer string
	}{{run.Solution, ""}, {run.Stub, ""}, {run.Learner, "nocompile.go"}} {
		opts := options(t, ws, env)
		opts.Mode = tc.mode
		if tc.answer != "" {
			opts.Replace = answer(t, tc.answer)
		}
		jobs = append(jobs, run.Job{Lesson: testLesson, Options: opts})
	}
	var seen []run.Verdict
	results, err := run.Series(context.Background(), jobs, func(_ run.Job, r *run.Result) { seen = append(seen, r.Verdict) })
	if err != nil {
		t.Fatal(err)
	}
	want := []run.Verdict{run.Passed, run.Failed, run.CompileError}
	if !slices.Equal(seen, want) || len(results) != len(want) {
		t.Errorf("verdicts = %v, want %v", seen, want)
	}
	for _, r := range results {
		t.Logf("%s %s: compile %s, prepare %s, run %s", r.Mode, r.Verdict, r.Timings.Compile, r.Timings.Prepare, r.Timings.Run)
	}
}

// TestEditAfterACachedBuild: checks of a lesson reuse one slot of the
// binary cache, and every edit is still judged on its own
// code: the stub fails, the solution written over it passes, the stub
// written back fails again.
func TestEditAfterACachedBuild(t *testing.T) {
	goCache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", strings.TrimSpace(string(goCache))) // the build cache stays where it is
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	ws := newWorkspace(t)
	opts := options(t, ws, servers.Get(t))
	work := filepath.Join(ws, "exercises", "90-runner", "work.go")
	stub, err := os.ReadFile(work)
	if err != nil {
		t.Fatal(err)
	}
	solution, err := os.ReadFile("testdata/solutions/90-runner/work.go")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		code []byte
		want run.Verdict
	}{
		{"stub", stub, run.Failed},
		{"solution", solution, run.Passed},
		{"stub again", stub, run.Failed},
	}
	for _, s := range steps {
		writeFile(t, work, s.code)
		res, err := run.Check(context.Background(), testLesson, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != s.want {
			t.Errorf("%s: verdict %s, want %s: %s", s.name, res.Verdict, s.want, res.Message)
		}
		t.Logf("%s: compile %s", s.name, res.Timings.Compile)
	}
	slots, _ := filepath.Glob(filepath.Join(cache, "dblings", "check-binaries", "*.test"))
	if len(slots) != 1 {
		t.Errorf("the cache holds %d binaries, want the one slot of the lesson: %v", len(slots), slots)
	}
}
