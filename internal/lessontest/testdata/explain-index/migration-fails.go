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
	_, err := db.Exec(ctx, `CREATE INDEX ON posts (no_such_column)`)
	return err
}
