//go:build ignore

// Wrong: an index on created_at alone. It gives the order, but the query
// filters on author_id: Postgres walks the index from the newest post and
// throws away every other author's posts on the way.
//
//dblings:answer failed assertion="leads with author_id" says="posts_created_idx leads with created_at"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_created_idx ON posts (created_at)`)
	return err
}
