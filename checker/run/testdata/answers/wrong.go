package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers counts the wrong table.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
