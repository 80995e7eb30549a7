//go:build ignore

// Wrong: keyset on created_at alone. When a page ends inside a second, the
// rest of that second is skipped.
//
//dblings:answer failed over=row-value-hmac assertion="every post once, in order" says="A cursor on created_at alone skips the rest of a second"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, firstPage, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, nextPage, pos.at, limit)
}

const nextPage = `SELECT id, author_id, title, created_at FROM posts
WHERE created_at < $1
ORDER BY created_at DESC, id DESC LIMIT $2`
