package checker_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
	"github.com/jackc/pgx/v5"
)

func testSQLStatePredicates(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	mustExec(t, c,
		"CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL)",
		"INSERT INTO acct VALUES (1, 100), (2, 100)")
	ctx := c.Ctx()
	serializable := pgx.TxOptions{IsoLevel: pgx.Serializable}
	predicates := map[string]func(error) bool{
		"unique":        checker.IsUniqueViolation,
		"serialization": checker.IsSerializationFailure,
		"deadlock":      checker.IsDeadlock,
		"lock":          checker.IsLockTimeout,
		"statement":     checker.IsStatementTimeout,
	}

	tests := []struct {
		name string
		want string // the predicate that must hold; the others must not
		run  func() error
	}{
		{"duplicate key", "unique", func() error {
			_, err := c.Pool().Exec(ctx, "INSERT INTO acct VALUES (1, 0)")
			return err
		}},
		{"write skew under SERIALIZABLE", "serialization", func() error {
			// Each transaction reads both rows, then writes one of them.
			t1, _ := c.Pool().BeginTx(ctx, serializable)
			t2, _ := c.Admin().BeginTx(ctx, serializable)
			defer t1.Rollback(ctx)
			defer t2.Rollback(ctx)
			for _, tx := range []pgx.Tx{t1, t2} {
				if _, err := tx.Exec(ctx, "SELECT sum(balance) FROM acct"); err != nil {
					return err
				}
			}
			if _, err := t1.Exec(ctx, "UPDATE acct SET balance = balance - 150 WHERE id = 1"); err != nil {
				return err
			}
			if _, err := t2.Exec(ctx, "UPDATE acct SET balance = balance - 150 WHERE id = 2"); err != nil {
				return err
			}
			if err := t1.Commit(ctx); err != nil {
				return err
			}
			return t2.Commit(ctx)
		}},
		{"locks taken in opposite orders", "deadlock", func() error {
			t1, _ := c.Pool().Begin(ctx)
			t2, _ := c.Admin().Begin(ctx)
			defer t1.Rollback(ctx)
			defer t2.Rollback(ctx)
			if _, err := t1.Exec(ctx, "UPDATE acct SET balance = balance + 1 WHERE id = 1"); err != nil {
				return err
			}
			if _, err := t2.Exec(ctx, "UPDATE acct SET balance = balance + 1 WHERE id = 2"); err != nil {
				return err
			}
			errs := make(chan error, 2)
			go func() {
				_, err := t1.Exec(ctx, "UPDATE acct SET balance = balance + 1 WHERE id = 2")
				errs <- err
			}()
			_, err := t2.Exec(ctx, "UPDATE acct SET balance = balance + 1 WHERE id = 1")
			if err != nil {
				t2.Rollback(ctx) // frees t1
				<-errs
				return err
			}
			return <-errs
		}},
		{"NOWAIT on a locked row", "lock", func() error {
			tx, _ := c.Admin().Begin(ctx)
			defer tx.Rollback(ctx)
			if _, err := tx.Exec(ctx, "SELECT * FROM acct WHERE id = 1 FOR UPDATE"); err != nil {
				return err
			}
			_, err := c.Pool().Exec(ctx, "SELECT * FROM acct WHERE id = 1 FOR UPDATE NOWAIT")
			return err
		}},
		{"statement timeout", "statement", func() error {
			return pgx.BeginFunc(ctx, c.Pool(), func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = '50ms'"); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "SELECT pg_sleep(1)")
				return err
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("no error")
			}
			for name, is := range predicates {
				if is(err) != (name == tt.want) {
					t.Errorf("%s predicate = %v for %v (SQLSTATE %s)", name, is(err), err, checker.SQLState(err))
				}
			}
		})
	}

	t.Run("errors that are not from Postgres", func(t *testing.T) {
		for _, err := range []error{nil, context.Canceled, fmt.Errorf("wrapped: %w", context.DeadlineExceeded)} {
			if code := checker.SQLState(err); code != "" {
				t.Errorf("SQLState(%v) = %q", err, code)
			}
		}
	})
}
