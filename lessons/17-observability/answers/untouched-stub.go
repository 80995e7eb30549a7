//go:build ignore

// Wrong: the stub as shipped. Every function returns zero values without
// asking the server, so TopQueries lists nothing.
//
//dblings:answer failed assertion="top statements by total time" says="returned 0 statements"
package observability
