//go:build ignore

// Wrong: the backfill is one UPDATE of every row. The values come out
// right, but the transaction holds the lock of every row it updated until
// it commits, so each write of the application to a row already passed
// waits for the whole table.
//
//dblings:answer failed over=solution assertion="at most 20,000 rows per transaction" says="one transaction wrote"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func backfill(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `UPDATE payments SET amount_cents = (amount * 100)::bigint WHERE amount_cents IS NULL`)
	return err
}
