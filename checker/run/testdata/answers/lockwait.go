package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers locks the table on one connection, then waits for that lock
// on another; the check's lock_timeout ends the wait.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	holder, err := db.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := holder.Exec(ctx, "BEGIN"); err != nil {
		return 0, err
	}
	if _, err := holder.Exec(ctx, "LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); err != nil {
		return 0, err
	}
	var n int64
	err = db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
