//go:build ignore

// Wrong: the cursor and the WHERE have the id, but the ORDER BY does not: the
// order within a second is whatever the plan gives.
//
//dblings:answer failed over=row-value-hmac assertion="the ORDER BY defines one order" says="need the id as a tiebreak"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC LIMIT $1`, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
WHERE (created_at, id) < ($1, $2)
ORDER BY created_at DESC LIMIT $3`, pos.at, pos.id, limit)
}
