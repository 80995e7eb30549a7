//go:build ignore

// Wrong: an index on created_at alone: the order of posts within a second
// still needs a sort.
//
//dblings:answer failed over=row-value-hmac assertion="an index serves the first page" says="put id in the index after created_at"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_created_idx ON posts (created_at)`)
	return err
}
