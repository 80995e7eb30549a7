//go:build ignore

// Wrong: everything right but the index, built with a plain CREATE INDEX.
// It holds a SHARE lock on payments for the whole build: reads go on,
// every write waits. On this table the build is short; on a production
// table it takes minutes, so the check reads the statement itself.
//
//dblings:answer failed over=solution assertion="indexes built concurrently" says="without CONCURRENTLY"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func index(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX payments_amount_cents_idx ON payments (amount_cents)`)
	return err
}
