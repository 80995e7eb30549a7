package runner

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers adds two halves of the count from two goroutines into n,
// without a lock: the right number, and a data race.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var total int64
	if err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&total); err != nil {
		return 0, err
	}
	var n int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			n += total / 2
		})
	}
	wg.Wait()
	return n, nil
}
