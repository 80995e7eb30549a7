//go:build ignore

// Wrong: the cursor is the id alone, ordered by id: on the fixture ids follow
// time, but the feed is ordered by created_at, and ids need not agree.
//
//dblings:answer failed over=row-value-hmac assertion="the ORDER BY defines one order" says="ids need not follow it"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY id DESC LIMIT $1`, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
WHERE id < $1
ORDER BY id DESC LIMIT $2`, pos.id, limit)
}
