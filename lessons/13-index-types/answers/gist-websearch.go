//go:build ignore

// Right: a GiST index on the stored tsvector instead of GIN, searched with
// websearch_to_tsquery, which reads plain words as plainto_tsquery does
// (and also accepts quotes, "or" and -word). GiST is smaller and quicker
// to update, GIN quicker to search; both answer @@.
//
//dblings:answer passed over=solution
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
ALTER TABLE articles
	ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX articles_search_gist ON articles USING gist (search);
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id FROM articles
WHERE search @@ websearch_to_tsquery('english', $1) ORDER BY id`, words)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
