package lessontest

import "testing"

func TestShardingAnswers(t *testing.T) {
	checkAnswers(t, "sharding", []answer{
		{name: "fnv-waitgroup", pass: true},
		{name: "modulo-channel", pass: true},
		{name: "fan-out-read", failing: "one customer, one shard asked", says: "touched shards 0, 1 and 2"},
		{name: "sequential-report", failing: "the shards are asked at the same time", says: "at most 1 of the 3 shards worked at the same moment"},
		{name: "hash-ignores-id", failing: "customers spread evenly", says: "does ShardFor really use the id?"},
		{name: "fixed-ranges", failing: "new customers spread evenly too", says: "lands on the last shard"},
		{name: "no-resort", failing: "the report merges the shards' answers", says: "Every customer in your report lives on shard"},
		{name: "split-limit", failing: "the report merges the shards' answers", says: "ask each shard for its own top n, not a share of it"},
		{name: "orders-by-order-id", failing: "each customer on one shard, with their orders", says: "A customer's orders must live with the customer"},
		{name: "ignores-shard-count", failing: "ShardFor names a shard", says: "use the number of shards you are given"},
		{name: "negative-modulo", failing: "ShardFor names a shard", says: "take the remainder of an unsigned hash"},
		{name: "random-shard", failing: "ShardFor names a shard", says: "must depend on the id alone"},
	})
}
