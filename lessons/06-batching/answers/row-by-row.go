//go:build ignore

// Wrong: the stub as shipped: one INSERT per row, each waiting for its
// answer, and outside any transaction.
//
//dblings:answer failed assertion="few round trips" says="one INSERT per row, each waiting for its answer"
package batching
