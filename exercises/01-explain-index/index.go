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
// TODO: create one index so that the plan of NewestPostsQuery has no Seq Scan
// and no Sort. Run `dblings hint explain-index` if you are stuck.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}
