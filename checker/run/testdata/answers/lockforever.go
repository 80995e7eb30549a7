package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers locks the table on one connection, then waits for that lock
// on another with lock_timeout switched off: it waits forever.
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
	waiter, err := db.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := waiter.Exec(ctx, "SET lock_timeout = 0"); err != nil {
		return 0, err
	}
	var n int64
	err = waiter.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
