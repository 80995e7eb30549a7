//go:build ignore

// Wrong: a lock_timeout, but no retry. The ALTER gives up behind the
// report, as it should, and the migration stops there with the error.
//
//dblings:answer failed over=solution assertion="every step succeeds" says="try the statement again"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func ddl(ctx context.Context, db *pgxpool.Pool, stmts ...string) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '50ms'`); err != nil {
			return err
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
}
