package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers writes to a nil map.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var counts map[string]int64
	counts["users"]++
	return counts["users"], nil
}
