package checker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/sandbox"
	"github.com/jackc/pgx/v5/pgxpool"
)

func scenarioNew(t *testing.T) { checker.New(t) }

func TestNewWithoutEnvironment(t *testing.T) {
	tests := []struct {
		name, value, says string
	}{
		{"unset", "", "must be run by `dblings check`"},
		{"no report", `{"postgres":["postgres://127.0.0.1:1/none"],"redis":"redis://127.0.0.1:1/0"}`, "no report file"},
		{"garbled", `{"postgres":`, "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, passed := runScenario(t, "new", time.Minute, contract.Variable+"="+tt.value)
			if passed {
				t.Fatalf("checker.New passed with %s=%s:\n%s", contract.Variable, tt.value, out)
			}
			if !strings.Contains(out, tt.says) {
				t.Errorf("output does not say %q:\n%s", tt.says, out)
			}
		})
	}
}

func scenarioAssertFail(t *testing.T) {
	c := checker.New(t)
	c.Assert("first", false, "found a Seq Scan; expected an Index Scan", checker.Evidence{Counts: map[string]int64{"rows": 3}})
	c.Assert("second", true, "runs after a failed Assert", checker.Evidence{})
	if c.Timeable("timing") {
		c.Assert("timed after a failure", true, "Timeable let a failed check time", checker.Evidence{})
	}
	c.Require("third", false, "stops the check", checker.Evidence{})
	c.Assert("never", true, "not reached after a failed Require", checker.Evidence{})
}

func testAssertAndRequire(t *testing.T, env *sandbox.Env) {
	_, report := startServers(t, env)
	out, passed := runScenario(t, "assert-fail", time.Minute)
	if passed {
		t.Fatalf("a check with failed assertions passed:\n%s", out)
	}
	if !strings.Contains(out, "first: found a Seq Scan; expected an Index Scan") {
		t.Errorf("go test output lacks the failed assertion's message:\n%s", out)
	}
	recs := readReport(t, report)
	want := []struct {
		name string
		ok   bool
	}{{"first", false}, {"second", true}, {"timing", false}, {"third", false}}
	if len(recs) != len(want) {
		t.Fatalf("report has %d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i, w := range want {
		if recs[i].Name != w.name || recs[i].OK != w.ok {
			t.Errorf("record %d = %q ok=%v, want %q ok=%v", i, recs[i].Name, recs[i].OK, w.name, w.ok)
		}
		if recs[i].Test != "TestScenario" {
			t.Errorf("record %d names test %q, want TestScenario", i, recs[i].Test)
		}
	}
	if !strings.Contains(recs[2].Message, "not timed yet") {
		t.Errorf("the timing not taken after a failure says %q, want why it was not timed", recs[2].Message)
	}
	if recs[0].Evidence.Counts["rows"] != 3 {
		t.Errorf("evidence lost on the way: %+v", recs[0].Evidence)
	}
}

func scenarioClean(t *testing.T) {
	c := checker.New(t)
	rows, err := c.Pool().Query(c.Ctx(), "SELECT generate_series(1, 3)")
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
}

func scenarioLeakAcquire(t *testing.T) {
	c := checker.New(t)
	if _, err := c.Pool().Acquire(c.Ctx()); err != nil {
		t.Fatal(err)
	}
}

func scenarioLeakRows(t *testing.T) {
	c := checker.New(t)
	rows, err := c.Pool().Query(c.Ctx(), "SELECT generate_series(1, 10)")
	if err != nil {
		t.Fatal(err)
	}
	rows.Next() // reads one row, never closes
}

func scenarioLeakTx(t *testing.T) {
	c := checker.New(t)
	tx, err := c.Pool().Begin(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(c.Ctx(), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
}

func testLeakedConnections(t *testing.T, env *sandbox.Env) {
	tests := []struct {
		scenario string
		leaks    bool
	}{
		{"clean", false},
		{"leak-acquire", true},
		{"leak-rows", true},
		{"leak-tx", true},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			_, report := startServers(t, env)
			start := time.Now()
			// pgxpool.Close waits forever for a leaked connection; the
			// check must not.
			out, passed := runScenario(t, tt.scenario, 30*time.Second)
			if passed == tt.leaks {
				t.Fatalf("check passed=%v, want %v:\n%s", passed, !tt.leaks, out)
			}
			recs := readReport(t, report)
			if !tt.leaks {
				if len(recs) != 0 {
					t.Errorf("a clean check wrote records: %+v", recs)
				}
				return
			}
			if len(recs) != 1 || recs[0].Name != "no leaked connections" || recs[0].OK {
				t.Fatalf("want one failed leak record, got %+v", recs)
			}
			msg := recs[0].Message
			if !strings.HasPrefix(msg, "connection leaked: 1 connection of the database pool still checked out") {
				t.Errorf("leak message = %q", msg)
			}
			if recs[0].Evidence.Counts["acquired_conns"] != 1 {
				t.Errorf("leak evidence = %+v", recs[0].Evidence.Counts)
			}
			t.Logf("leaky check finished in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}

func testGuardRails(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t,
		checker.WithStatementTimeout(200*time.Millisecond),
		checker.WithLockTimeout(100*time.Millisecond),
		checker.WithAdminSetting("max_parallel_workers_per_gather", "0"))
	mustExec(t, c, "CREATE TABLE guard (id int PRIMARY KEY)", "INSERT INTO guard VALUES (1)")

	tests := []struct {
		name string
		// run calls the learner's pool and returns its error.
		run  func(ctx context.Context) error
		want func(error) bool
	}{
		{"statement timeout", func(ctx context.Context) error {
			_, err := c.Pool().Exec(ctx, "SELECT pg_sleep(2)")
			return err
		}, checker.IsStatementTimeout},
		{"lock timeout", func(ctx context.Context) error {
			tx, err := c.Admin().Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx)
			if _, err := tx.Exec(ctx, "SELECT * FROM guard WHERE id = 1 FOR UPDATE"); err != nil {
				return err
			}
			_, err = c.Pool().Exec(ctx, "UPDATE guard SET id = 2 WHERE id = 1")
			return err
		}, checker.IsLockTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.run(c.Ctx())
			if !tt.want(err) {
				t.Fatalf("error = %v (SQLSTATE %q)", err, checker.SQLState(err))
			}
			if took := time.Since(start); took > 1500*time.Millisecond {
				t.Errorf("the guard rail took %s to fire", took)
			}
		})
	}

	t.Run("settings", func(t *testing.T) {
		tests := []struct {
			pool    string
			setting string
			want    string
		}{
			{"learner", "application_name", "dblings-learner"},
			{"learner", "statement_timeout", "200ms"},
			{"learner", "lock_timeout", "100ms"},
			{"learner", "idle_in_transaction_session_timeout", "30s"},
			{"admin", "application_name", "dblings-checker"},
			{"admin", "max_parallel_workers_per_gather", "0"},
		}
		pools := map[string]*pgxpool.Pool{"learner": c.Pool(), "admin": c.Admin()}
		for _, tt := range tests {
			var got string
			if err := pools[tt.pool].QueryRow(c.Ctx(), "SELECT current_setting($1)", tt.setting).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s on the %s pool = %q, want %q", tt.setting, tt.pool, got, tt.want)
			}
		}
	})
}
