//go:build ignore

// Wrong: the stub as shipped, with no index at all. The plan is a Seq Scan that
// reads the whole table and filters out nearly all of it.
//
//dblings:answer failed assertion="no Seq Scan" says="removed 949,977 of them by filter"
package explainindex
