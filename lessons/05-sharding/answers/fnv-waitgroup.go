//go:build ignore

// Right: the reference solution as it is, an FNV-1a hash of the id and one
// goroutine per shard. The wrong answers are this one with one mistake.
//
//dblings:answer passed over=solution
package sharding
