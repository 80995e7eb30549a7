//go:build ignore

// Right: the id modulo the number of shards, every shard's full totals sent
// back over a channel, merged, sorted and cut.
//
//dblings:answer passed over=solution
package sharding

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ShardFor(customerID int64, shards int) int {
	return int(customerID % int64(shards))
}

func TopCustomers(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error) {
	type answer struct {
		totals []CustomerTotal
		err    error
	}
	answers := make(chan answer, len(shards))
	for _, db := range shards {
		go func() {
			totals, err := queryTop(ctx, db, math.MaxInt32)
			answers <- answer{totals, err}
		}()
	}
	var all []CustomerTotal
	for range shards {
		a := <-answers
		if a.err != nil {
			return nil, a.err
		}
		all = append(all, a.totals...)
	}
	slices.SortFunc(all, func(a, b CustomerTotal) int {
		return cmp.Or(cmp.Compare(b.TotalCents, a.TotalCents), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return all[:min(n, len(all))], nil
}
