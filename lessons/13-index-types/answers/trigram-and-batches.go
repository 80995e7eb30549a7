//go:build ignore

// Right, and unusual: the stub's ILIKE '%word%' search kept, served by a
// trigram index (pg_trgm, an extension a database owner may create): GIN
// over every three-letter slice of the body answers a pattern that starts
// with %. And the expiry job deletes in batches of 500, so that no run
// holds thousands of row locks at once; each batch finds its ids through
// the partial index, then deletes them by primary key.
//
//dblings:answer passed over=solution
package indextypes

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX articles_body_trgm_idx ON articles USING gin (body gin_trgm_ops);
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	var where []string
	var args []any
	for _, w := range strings.Fields(words) {
		args = append(args, "%"+w+"%")
		where = append(where, fmt.Sprintf("body ILIKE $%d", len(args)))
	}
	rows, err := db.Query(ctx, `SELECT id FROM articles WHERE `+strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	var total int64
	for {
		tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE id = ANY (ARRAY(
	SELECT id FROM sessions WHERE expires_at <= $1 LIMIT 500))`, now)
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < 500 {
			return total, nil
		}
	}
}
