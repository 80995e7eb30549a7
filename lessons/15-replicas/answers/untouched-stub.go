//go:build ignore

// Wrong: the stub as shipped, every read on the primary. Nothing is stale,
// and the replica serves nothing: the servers' own statement counts show
// the whole read-mostly workload on the primary.
//
//dblings:answer failed assertion="reads served by the replica" says="at least 90% belong on the replica"
package replicas
