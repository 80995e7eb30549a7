package run_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker/run"
)

// TestLearnerCodeHasNoPrivileges: the learner's code connects as a role
// that owns its clone and nothing else, and as a Redis user without admin
// or dangerous commands. What it tries against the server fails with a
// permission error, leaves no trace, and the next check on the same
// servers is judged as if nothing had happened.
func TestLearnerCodeHasNoPrivileges(t *testing.T) {
	env := servers.Get(t)
	// The dblings process may hold superuser settings of its own (external
	// servers given by environment variables, libpq's variables).
	t.Setenv("DBLINGS_PG_URL", "postgres://postgres:judge-secret@127.0.0.1:1/postgres")
	t.Setenv("PGPASSWORD", "judge-secret")
	ws := newWorkspace(t)
	opts := options(t, ws, env)
	opts.Replace = answer(t, "privileged.go")
	r, err := run.Check(context.Background(), testLesson, opts)
	if err != nil {
		t.Fatal(err)
	}
	msg := findAssertion(t, r, "counts the users").Message
	for _, want := range []string{
		"ALTER SYSTEM => ERROR: permission denied to set parameter",
		"DROP DATABASE => ERROR: must be owner of database dbl_tpl_",
		"CREATE ROLE => ERROR: must be superuser",
		"ALTER ROLE => ERROR: must be superuser",
		"SELECT pg_terminate_backend(pid) => ERROR: must be a superuser",
		"CONFIG => NOPERM", "FLUSHALL => NOPERM", "ACL => NOPERM", "CLIENT => NOPERM", "KEYS => NOPERM",
		"SELECT => NOPERM", "MOVE => NOPERM",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the learner's code was not stopped: want %q in\n%s", want, msg)
		}
	}

	if strings.Contains(msg, "found the judge's secret") {
		t.Errorf("the check's environment holds the judge's credentials:\n%s", msg)
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, env.Postgres[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var setting string
	var intruders, learners int
	if err := conn.QueryRow(ctx, `SELECT current_setting('enable_indexscan'),
		(SELECT count(*) FROM pg_roles WHERE rolname = 'intruder'),
		(SELECT count(*) FROM pg_roles WHERE rolname LIKE 'dbl\_learner\_%')`).Scan(&setting, &intruders, &learners); err != nil {
		t.Fatal(err)
	}
	if setting != "on" || intruders != 0 || learners != 0 {
		t.Errorf("after the check: enable_indexscan %s, roles named intruder %d, learner roles left %d; want on, 0, 0", setting, intruders, learners)
	}

	opts = options(t, ws, env)
	opts.Mode = run.Solution
	after, err := run.Check(ctx, testLesson, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Pass() {
		t.Errorf("the solution failed on the same servers after the attempt: %s %s", after.Verdict, after.Message)
	}
}

// TestIsolatedCheckCannotReachTheJudge: run as root, an isolated check (as
// in grade) runs as nobody and finds neither a file of the dblings user nor
// the dblings process's environment; the same code in a check that is not
// isolated finds both, which is what isolation is for.
func TestIsolatedCheckCannotReachTheJudge(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("CI runs as root, so that isolation is tested")
		}
		t.Skip("isolation runs checks as nobody, which needs root")
	}
	env := servers.Get(t)
	secret := filepath.Join(t.TempDir(), "env.json")
	if err := os.WriteFile(secret, []byte(`{"url":"postgres://postgres:judge-secret@x/postgres"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SNOOP_FILE", secret)
	t.Setenv("DBLINGS_PG_URL", "postgres://postgres:judge-secret@127.0.0.1:1/postgres")
	ws := newWorkspace(t)
	for _, tc := range []struct {
		isolate bool
		found   bool
	}{{isolate: true, found: false}, {isolate: false, found: true}} {
		opts := options(t, ws, env)
		opts.Replace, opts.Isolate = answer(t, "snoop.go"), tc.isolate
		r, err := run.Check(context.Background(), testLesson, opts)
		if err != nil {
			t.Fatal(err)
		}
		msg := findAssertion(t, r, "counts the users").Message
		if found := strings.Contains(msg, "found the judge's secret"); found != tc.found {
			t.Errorf("isolate %v: found the judge's secret %v, want %v:\n%s", tc.isolate, found, tc.found, msg)
		}
		if tc.isolate && !strings.Contains(msg, "file => permission denied") {
			t.Errorf("isolated, the check could read the dblings user's file:\n%s", msg)
		}
	}
	opts := options(t, ws, env)
	opts.Mode, opts.Isolate = run.Solution, true
	if r, err := run.Check(context.Background(), testLesson, opts); err != nil || !r.Pass() {
		t.Errorf("isolated, the solution does not pass: %v %+v", err, r)
	}
}
