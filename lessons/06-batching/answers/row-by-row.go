//go:build ignore

// TODO explain.
//
//dblings:answer failed assertion="few round trips" says="one INSERT per row, each waiting for its answer"
package batching
