//go:build ignore

// Wrong: the hash turned into a signed number before the remainder: half of
// the customers get a negative shard.
//
//dblings:answer failed over=solution assertion="ShardFor names a shard" says="take the remainder of an unsigned hash"
package sharding

import (
	"encoding/binary"
	"hash/fnv"
)

func ShardFor(customerID int64, shards int) int {
	h := fnv.New64a()
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(customerID)))
	return int(int64(h.Sum64()) % int64(shards))
}
