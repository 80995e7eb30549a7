//go:build ignore

// Wrong: a hash that is never fed the id: every customer hashes the same and
// lands on one shard.
//
//dblings:answer failed over=solution assertion="customers spread evenly" says="does ShardFor really use the id?"
package sharding

import (
	"hash/fnv"
)

func ShardFor(customerID int64, shards int) int {
	h := fnv.New32a()
	return int(h.Sum32() % uint32(shards))
}
