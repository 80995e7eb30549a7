//go:build ignore

// Wrong: each shard's list is already sorted, so the merged list is only
// sorted by total, with a stable sort: customers who spent the same keep the
// order of the shards, not the order of their ids.
//
//dblings:answer failed over=solution assertion="the report merges the shards' answers" says="ties go to the lower customer id"
package sharding

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TopCustomers(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error) {
	parts := make([][]CustomerTotal, len(shards))
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, db := range shards {
		wg.Go(func() {
			parts[i], errs[i] = queryTop(ctx, db, n)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	all := slices.Concat(parts...)
	slices.SortStableFunc(all, func(a, b CustomerTotal) int { return cmp.Compare(b.TotalCents, a.TotalCents) })
	return all[:min(n, len(all))], nil
}
