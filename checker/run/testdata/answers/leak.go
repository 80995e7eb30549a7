package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers counts right but never releases its connection.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	conn, err := db.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = conn.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
