// Package runner is the runner's test lesson.
package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers returns how many rows the users table has.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
