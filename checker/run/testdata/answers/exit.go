package runner

import (
	"context"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountPosts ends the process.
func CountPosts(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	os.Exit(3)
	return 0, nil
}
