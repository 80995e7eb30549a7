// Package explainindex is lesson 1: make the author page's query use an
// index instead of reading the whole posts table.
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// NewestPostsQuery is the author page's query: the newest 20 posts of one
// author. It is given; your job is the index that makes it fast.
const NewestPostsQuery = `SELECT id, title, created_at
FROM posts
WHERE author_id = $1
ORDER BY created_at DESC
LIMIT 20`

// Migrate adds the index NewestPostsQuery needs to the blog database.
//
// author_id leads because the query filters on it with "="; created_at
// follows so that the index hands over one author's posts already ordered,
// and the LIMIT can stop after 20 entries without a Sort.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_author_created_idx ON posts (author_id, created_at DESC)`)
	return err
}
