package runner

import (
	"context"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers ends the process.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	os.Exit(3)
	return 0, nil
}
