//go:build ignore

// Wrong: the steps of the solution, each DDL run as it is, without a
// lock_timeout. ALTER TABLE queues for its ACCESS EXCLUSIVE lock behind
// the report, and while it waits every request of the application queues
// behind it: the outage is as long as the report, though the ALTER itself
// takes a millisecond.
//
//dblings:answer failed over=solution assertion="no request waits on a lock" says="without a lock_timeout"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func ddl(ctx context.Context, db *pgxpool.Pool, stmts ...string) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
}
