// Package runner is the runner's test lesson.
package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountPosts returns how many rows the posts table has.
func CountPosts(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM posts").Scan(&n)
	return n, err
}
