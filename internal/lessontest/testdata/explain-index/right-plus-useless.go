package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

const NewestPostsQuery = `SELECT id, title, created_at
FROM posts
WHERE author_id = $1
ORDER BY created_at DESC
LIMIT 20`

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
