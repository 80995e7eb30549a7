//go:build ignore

// Wrong: every goroutine appends its shard's totals to one shared slice with
// no lock. Most runs come out right; under load two appends meet and a
// shard's customers vanish. Only the race detector says so every time.
//
//dblings:answer failed over=solution assertion="no data race" says="a data race: two goroutines"
package sharding

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TopCustomers(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error) {
	var (
		all      []CustomerTotal
		firstErr error
		wg       sync.WaitGroup
	)
	for _, db := range shards {
		wg.Go(func() {
			part, err := queryTop(ctx, db, n)
			if err != nil {
				firstErr = err
				return
			}
			all = append(all, part...)
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	slices.SortFunc(all, func(a, b CustomerTotal) int {
		return cmp.Or(cmp.Compare(b.TotalCents, a.TotalCents), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return all[:min(n, len(all))], nil
}
