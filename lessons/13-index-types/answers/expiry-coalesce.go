//go:build ignore

// Wrong: the right partial index, but the job wraps the column in
// coalesce() to treat "no expiry" as "never". The condition no longer
// names expires_at itself, so the planner can neither use the index nor
// prove the index's WHERE: a Seq Scan at every run.
//
//dblings:answer failed over=solution assertion="expiry job uses an index" says="Seq Scan on sessions"
package indextypes

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE coalesce(expires_at, 'infinity') <= $1`, now)
	return tag.RowsAffected(), err
}
