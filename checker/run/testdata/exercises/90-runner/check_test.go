//go:build dblings

// The runner's own test lesson: CountUsers must count the users. The check
// writes its records by hand (the runner's contract is the record format,
// not the checker's helpers) but imports package checker, so that the
// runner's tests can prove an edited checker/ changes nothing.
package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/fixtures"
)

// given reads what the runner handed the check.
func given(t *testing.T) contract.Check {
	t.Helper()
	c, err := contract.Read(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCountUsers(t *testing.T) {
	ctx := context.Background()
	given := given(t)
	cfg, err := pgxpool.ParseConfig(given.Postgres[0])
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["lock_timeout"] = "1s"
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	var database string
	if err := pool.QueryRow(ctx, "SELECT count(*), current_database() FROM users").Scan(&want, &database); err != nil {
		t.Fatal(err)
	}
	// Leave a mark in Redis, which the runner must flush afterwards.
	opts, err := redis.ParseURL(given.Redis)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.Set(ctx, "runner-test:mark", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	writeRecord(t, checker.Record{Test: t.Name(), Name: "gets its own databases", OK: true, Message: database,
		Evidence: checker.Evidence{Details: map[string]any{"database": database, "redis": given.Redis}}})

	got, err := CountUsers(ctx, pool)
	switch {
	case want != fixtures.UsersCount:
		record(t, "counts the users", false, fmt.Sprintf("package fixtures says %d users; the table has %d", fixtures.UsersCount, want), nil)
	case err != nil:
		record(t, "counts the users", false, fmt.Sprintf("CountUsers returned an error: %v", err), nil)
	case got != want:
		record(t, "counts the users", false, fmt.Sprintf("CountUsers returned %d; the table has %d users", got, want), map[string]int64{"returned": got, "users": want})
	default:
		record(t, "counts the users", true, fmt.Sprintf("%d users, as expected", got), map[string]int64{"returned": got, "users": want})
	}

	// A pool with a connection still checked out never closes: leave it.
	if n := pool.Stat().AcquiredConns(); n > 0 {
		record(t, "returns its connections", false, fmt.Sprintf("%d connection(s) still checked out after CountUsers returned: release what you acquire", n), map[string]int64{"acquired": int64(n)})
		return
	}
	record(t, "returns its connections", true, "every connection went back to the pool", nil)
	pool.Close()
}

func record(t *testing.T, name string, ok bool, msg string, counts map[string]int64) {
	t.Helper()
	writeRecord(t, checker.Record{Test: t.Name(), Name: name, OK: ok, Message: msg, Evidence: checker.Evidence{Counts: counts}})
	if !ok {
		t.Error(msg)
	}
}

func writeRecord(t *testing.T, rec checker.Record) {
	t.Helper()
	line, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(given(t).Report, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
}
