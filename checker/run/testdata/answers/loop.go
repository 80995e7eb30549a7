package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers never returns.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	n := int64(0)
	for n >= 0 {
		n = n*2 + 1 - n
	}
	return n, nil
}
