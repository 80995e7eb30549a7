//go:build ignore

// Wrong: (created_at, id) <= instead of <: the last post of every page is
// also the first of the next.
//
//dblings:answer failed over=row-value-hmac assertion="every post once, in order" says="The cursor's comparison must be strict"
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
WHERE (created_at, id) <= ($1, $2)
ORDER BY created_at DESC, id DESC LIMIT $3`, pos.at, pos.id, limit)
}
