//go:build ignore

// Wrong: the right index plus a few more "just in case". The query is fast,
// but every unused index slows every write and takes space.
//
//dblings:answer failed assertion="no indexes just in case" says="posts_title_idx"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	for _, stmt := range []string{
		`CREATE INDEX posts_author_created_idx ON posts (author_id, created_at DESC)`,
		`CREATE INDEX posts_title_idx ON posts (title)`,
		`CREATE INDEX posts_created_idx ON posts (created_at)`,
		`CREATE INDEX users_name_idx ON users (name)`,
	} {
		if _, err := db.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
