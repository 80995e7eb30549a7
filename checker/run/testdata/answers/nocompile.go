package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountPosts does not compile.
func CountPosts(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return "many", nil
}
