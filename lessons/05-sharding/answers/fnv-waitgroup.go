//go:build ignore

// Right: an FNV-1a hash of the id, and one goroutine per shard (the reference solution).
//
//dblings:answer passed over=solution
package sharding
