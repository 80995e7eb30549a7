//go:build ignore

// Wrong: the stub as shipped. Every number is right, since it sums exact
// cents, but each function pulls every order of the period into Go to make
// a few dozen lines: over a hundred thousand rows and megabytes cross the
// network for each.
//
//dblings:answer failed assertion="no more rows than the result" says="travelled to be added up in Go"
package aggregation
