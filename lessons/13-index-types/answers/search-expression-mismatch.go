//go:build ignore

// Wrong: a GIN index on to_tsvector('english', body), and a query on
// to_tsvector(body), the one-argument form that uses the server's default
// configuration. To the planner these are different expressions, so the
// index sits unused and every search parses every body again.
//
//dblings:answer failed over=solution assertion="search uses a full-text index" says="the query does not match the index"
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX articles_body_fts_idx ON articles USING gin (to_tsvector('english', body));
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id FROM articles
WHERE to_tsvector(body) @@ plainto_tsquery($1) ORDER BY id`, words)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
