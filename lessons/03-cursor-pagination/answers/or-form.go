//go:build ignore

// Wrong: the expanded comparison without a bound the index can use: Postgres
// scans from the newest post and filters everything before the cursor.
//
//dblings:answer failed over=row-value-hmac assertion="page 10,000 reads only its own rows" says="a Filter throws 199,980 rows away"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
WHERE created_at < $1 OR (created_at = $1 AND id < $2)
ORDER BY created_at DESC, id DESC LIMIT $3`, pos.at, pos.id, limit)
}
