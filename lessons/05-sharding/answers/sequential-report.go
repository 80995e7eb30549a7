//go:build ignore

// Wrong: the report asks the shards one after another: right answer, in the
// sum of their times.
//
//dblings:answer failed over=solution assertion="the shards are asked at the same time" says="at most 1 of the 3 shards worked at the same moment"
package sharding

import (
	"cmp"
	"context"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TopCustomers(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error) {
	var all []CustomerTotal
	for _, db := range shards {
		part, err := queryTop(ctx, db, n)
		if err != nil {
			return nil, err
		}
		all = append(all, part...)
	}
	slices.SortFunc(all, func(a, b CustomerTotal) int {
		return cmp.Or(cmp.Compare(b.TotalCents, a.TotalCents), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return all[:min(n, len(all))], nil
}
