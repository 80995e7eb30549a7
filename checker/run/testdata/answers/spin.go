package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers spins forever on an empty loop.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	for {
	}
	return n, nil
}
