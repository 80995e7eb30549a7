package runner

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountPosts writes to a nil map.
func CountPosts(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var counts map[string]int64
	counts["posts"]++
	return counts["posts"], nil
}
