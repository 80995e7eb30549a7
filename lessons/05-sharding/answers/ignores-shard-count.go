//go:build ignore

// Wrong: the number of shards is hard-coded: fine with three shards, wrong the
// day there are two or four.
//
//dblings:answer failed over=solution assertion="ShardFor names a shard" says="use the number of shards you are given"
package sharding

func ShardFor(customerID int64, shards int) int {
	return int(customerID % 3)
}
