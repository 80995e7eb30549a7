package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers does not compile.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return "many", nil
}
