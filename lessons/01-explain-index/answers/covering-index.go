//go:build ignore

// Right: the reference index, with title carried in its leaves. The query
// reads id, title and created_at, all of them in the index now, so Postgres
// can answer from the index alone without visiting the table.
//
//dblings:answer passed
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_author_created_idx ON posts (author_id, created_at DESC) INCLUDE (title)`)
	return err
}
