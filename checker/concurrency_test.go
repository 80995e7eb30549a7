package checker_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
	"github.com/jackc/pgx/v5"
)

func TestRunConcurrently(t *testing.T) {
	errOdd := errors.New("odd goroutines fail")
	tests := []struct {
		name      string
		fn        func(ctx context.Context, i int) error
		timeout   time.Duration
		succeeded int
		failed    int
		panicked  int
		stuck     []int
	}{
		{
			name:      "all succeed",
			fn:        func(context.Context, int) error { return nil },
			succeeded: 10,
		},
		{
			name: "errors are collected",
			fn: func(_ context.Context, i int) error {
				if i%2 == 1 {
					return errOdd
				}
				return nil
			},
			succeeded: 5, failed: 5,
		},
		{
			name: "a panic is an error, not a crash",
			fn: func(_ context.Context, i int) error {
				if i == 3 {
					var m map[string]int
					m["boom"]++ // assignment to entry in nil map
				}
				return nil
			},
			succeeded: 9, panicked: 1,
		},
		{
			name: "a goroutine that ignores the deadline is reported stuck",
			fn: func(ctx context.Context, i int) error {
				if i == 7 {
					time.Sleep(10 * time.Second)
				}
				return ctx.Err()
			},
			timeout:   100 * time.Millisecond,
			succeeded: 9, stuck: []int{7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []checker.ConcurrencyOption
			if tt.timeout > 0 {
				opts = append(opts, checker.WithTimeout(tt.timeout))
			}
			start := time.Now()
			out := checker.RunConcurrently(context.Background(), 10, tt.fn, opts...)
			if out.Goroutines != 10 || out.Succeeded != tt.succeeded || out.Failed != tt.failed ||
				out.Panicked != tt.panicked || !slices.Equal(out.Stuck, tt.stuck) {
				t.Errorf("outcome: %s; stuck %v", out, out.Stuck)
			}
			if len(out.Errors) != tt.failed+tt.panicked {
				t.Errorf("%d errors for %d failures", len(out.Errors), tt.failed+tt.panicked)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("RunConcurrently took %s", took)
			}
		})
	}
}

func TestPanicErrorNamesTheLine(t *testing.T) {
	out := checker.RunConcurrently(context.Background(), 2, func(_ context.Context, i int) error {
		if i == 1 {
			panic(fmt.Sprintf("stock went negative in goroutine %d", i))
		}
		return nil
	})
	var pe *checker.PanicError
	if len(out.Errors) != 1 || !errors.As(out.Errors[0], &pe) {
		t.Fatalf("errors = %v", out.Errors)
	}
	msg := pe.Error()
	for _, want := range []string{"goroutine 1 panicked: stock went negative in goroutine 1", "checker/concurrency_test.go:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func testConcurrencyAgainstPostgres(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	mustExec(t, c, "CREATE TABLE stock (id int PRIMARY KEY, qty int NOT NULL)", "INSERT INTO stock VALUES (1, 0)")

	// Twenty increments with a read-modify-write in SERIALIZABLE: some
	// conflict, none is lost, and the conflicts are told apart by SQLSTATE.
	out := checker.RunConcurrently(c.Ctx(), 20, func(ctx context.Context, i int) error {
		tx, err := c.Pool().BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		var qty int
		if err := tx.QueryRow(ctx, "SELECT qty FROM stock WHERE id = 1").Scan(&qty); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE stock SET qty = $1 WHERE id = 1", qty+1); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	var qty int
	if err := c.Admin().QueryRow(c.Ctx(), "SELECT qty FROM stock WHERE id = 1").Scan(&qty); err != nil {
		t.Fatal(err)
	}
	if qty != out.Succeeded {
		t.Errorf("qty = %d after %d successful increments: an update was lost", qty, out.Succeeded)
	}
	if conflicts := out.Count(checker.IsSerializationFailure); conflicts != out.Failed {
		t.Errorf("%d failures, %d of them serialization failures: %s", out.Failed, conflicts, out)
	}
	t.Log(out)
}
