//go:build ignore

// Wrong: keyset on created_at alone with <=, to avoid losing posts of the same
// second: the last post of every page comes back on the next.
//
//dblings:answer failed over=row-value-hmac assertion="every post once, in order" says="it ended one page and opened the next"
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
WHERE created_at <= $1
ORDER BY created_at DESC, id DESC LIMIT $2`, pos.at, limit)
}
