//go:build ignore

// Wrong: an index on author_id alone. It finds the author's posts, but not in
// created_at order, so Postgres fetches them all and sorts them to keep 20.
//
//dblings:answer failed assertion="order served by the index" says="a Sort remains"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_author_idx ON posts (author_id)`)
	return err
}
