//go:build ignore

// Wrong: the right index, but the job asks the server for the time
// (now()) instead of using the time it is given. The check's clock stands
// in the past of the data; the server's clock expires every session that
// has an expiry, long before its time.
//
//dblings:answer failed over=solution assertion="expiry follows the given clock" says="not the server's now()"
package indextypes

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= now()`)
	return tag.RowsAffected(), err
}
