//go:build ignore

// Wrong: a random shard: an even spread, but a customer's shard changes from
// one call to the next.
//
//dblings:answer failed over=solution assertion="ShardFor names a shard" says="must depend on the id alone"
package sharding

import (
	"math/rand/v2"
)

func ShardFor(customerID int64, shards int) int {
	return rand.IntN(shards)
}
