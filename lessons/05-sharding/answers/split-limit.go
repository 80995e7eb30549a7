//go:build ignore

// Wrong: each shard is asked for its share of the top n only (n divided by
// the number of shards, rounded up): the best customers may crowd on one shard.
//
//dblings:answer failed over=solution assertion="the report merges the shards' answers" says="ask each shard for its own top n, not a share of it"
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
			parts[i], errs[i] = queryTop(ctx, db, (n+len(shards)-1)/len(shards))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	all := slices.Concat(parts...)
	slices.SortFunc(all, func(a, b CustomerTotal) int {
		return cmp.Or(cmp.Compare(b.TotalCents, a.TotalCents), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return all[:min(n, len(all))], nil
}
