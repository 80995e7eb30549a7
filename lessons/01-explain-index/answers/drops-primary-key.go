//go:build ignore

// Wrong: the right index, after dropping the primary key "to save space".
// The query gets fast, and every lookup by id and the table's integrity
// pay for it.
//
//dblings:answer failed assertion="existing indexes and constraints kept" says="your migration dropped or changed posts_pkey"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	for _, sql := range []string{
		`ALTER TABLE posts DROP CONSTRAINT posts_pkey`,
		`CREATE INDEX posts_author_created_idx ON posts (author_id, created_at DESC)`,
	} {
		if _, err := db.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}
