//go:build ignore

// Wrong: deleting in batches is a good idea, but WHERE id IN (SELECT id …
// LIMIT 500) makes the planner hash the batch and read every session to
// match it: each batch of 500 costs a scan of the whole table, the scan
// the index was there to avoid.
//
//dblings:answer failed over=solution assertion="expiry job uses an index" says="reads the whole of sessions"
package indextypes

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	var total int64
	for {
		tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE id IN (
	SELECT id FROM sessions WHERE expires_at <= $1 LIMIT 500)`, now)
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < 500 {
			return total, nil
		}
	}
}
