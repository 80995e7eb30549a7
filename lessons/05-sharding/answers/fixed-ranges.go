//go:build ignore

// Wrong: fixed ranges of ids, a thousand customers per shard: even today,
// but every new customer goes to the last shard.
//
//dblings:answer failed over=solution assertion="new customers spread evenly too" says="lands on the last shard"
package sharding

func ShardFor(customerID int64, shards int) int {
	return min(int((customerID-1)/1000), shards-1)
}
