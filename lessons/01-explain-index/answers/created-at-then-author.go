//go:build ignore

// Wrong: both columns, in the wrong order. An index is searched by its
// leading column first; with created_at first, one author's posts are
// scattered over the whole index.
//
//dblings:answer failed assertion="leads with author_id" says="leads with created_at"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_created_author_idx ON posts (created_at, author_id)`)
	return err
}
