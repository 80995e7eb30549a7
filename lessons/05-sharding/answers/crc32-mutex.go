//go:build ignore

// Right: a CRC-32 of the id written in decimal, which depends on the id
// alone and spreads consecutive ids evenly, and a report whose goroutines
// add their shard's totals to one list under a mutex before it is sorted
// and cut.
//
//dblings:answer passed over=solution
package sharding

import (
	"context"
	"hash/crc32"
	"sort"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ShardFor(customerID int64, shards int) int {
	sum := crc32.ChecksumIEEE([]byte(strconv.FormatInt(customerID, 10)))
	return int(sum % uint32(shards))
}

func TopCustomers(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error) {
	var (
		mu       sync.Mutex
		all      []CustomerTotal
		firstErr error
		wg       sync.WaitGroup
	)
	for _, db := range shards {
		wg.Add(1)
		go func(db *pgxpool.Pool) {
			defer wg.Done()
			totals, err := queryTop(ctx, db, n)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			all = append(all, totals...)
		}(db)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].TotalCents != all[j].TotalCents {
			return all[i].TotalCents > all[j].TotalCents
		}
		return all[i].CustomerID < all[j].CustomerID
	})
	if len(all) > n {
		all = all[:n]
	}
	return all, nil
}
