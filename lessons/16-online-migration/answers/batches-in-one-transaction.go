//go:build ignore

// Wrong: batches, but all in one transaction. Each UPDATE is small, yet
// no row lock is released before the commit at the end: the same as one
// big UPDATE for the application, and the check counts rows per
// transaction, not per statement.
//
//dblings:answer failed over=solution assertion="at most 20,000 rows per transaction" says="Backfill in batches"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func backfill(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		var maxID int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM payments`).Scan(&maxID); err != nil {
			return err
		}
		for from := int64(0); from < maxID; from += batchRows {
			if _, err := tx.Exec(ctx, `UPDATE payments SET amount_cents = (amount * 100)::bigint
				WHERE id > $1 AND id <= $2 AND amount_cents IS NULL`, from, from+batchRows); err != nil {
				return err
			}
		}
		return nil
	})
}
