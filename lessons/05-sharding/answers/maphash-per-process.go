//go:build ignore

// Wrong: hash/maphash with a seed made when the program starts. Inside one
// process every answer is stable and the spread is even; the next process,
// after a restart or on another server, sends every customer elsewhere.
//
//dblings:answer failed over=solution assertion="the same shard in every process" says="a seed drawn when the program starts"
package sharding

import (
	"hash/maphash"
)

var routeSeed = maphash.MakeSeed()

func ShardFor(customerID int64, shards int) int {
	return int(maphash.Comparable(routeSeed, customerID) % uint64(shards))
}
