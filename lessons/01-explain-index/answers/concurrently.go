//go:build ignore

// Right: the reference index, built the way a migration on a live table
// should be: CONCURRENTLY, so writes to posts go on while it builds, and IF
// NOT EXISTS, so running the migration twice does no harm.
//
//dblings:answer passed
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_author_created_idx
ON posts (author_id, created_at DESC)`)
	return err
}
