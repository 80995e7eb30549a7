package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountPosts counts the wrong table.
func CountPosts(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
