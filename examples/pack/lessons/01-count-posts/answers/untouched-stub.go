//go:build ignore

// Wrong: the stub as shipped. CountRows returns 0 without asking the
// database, and the check says how many it counted instead.
//
//dblings:answer failed assertion="the count is right" says="returned 0,"
package countposts
