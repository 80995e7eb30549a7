//go:build ignore

// Wrong: expires_at < $1 keeps the sessions that expire at exactly the
// job's time, one run longer than they should live. The check's clocks
// are expiry times of real sessions, so there is always one at the edge.
//
//dblings:answer failed over=solution assertion="expiry follows the given clock" says="<=, not <"
package indextypes

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now)
	return tag.RowsAffected(), err
}
