//go:build ignore

// Wrong: every shard's top n, put one after the other and cut, without sorting
// the merged list again.
//
//dblings:answer failed over=solution assertion="the report merges the shards' answers" says="Every customer in your report lives on shard"
package sharding

import (
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
	return all[:min(n, len(all))], nil
}
