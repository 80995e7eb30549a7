//go:build ignore

// Wrong: the stub as shipped. The page is right, but it takes one query for
// the posts and then two per post, 201 for a page of 100; its loader sends
// one query per resolver.
//
//dblings:answer failed assertion="at most 2 queries for the page" says="the N+1 problem, twice"
package nplusone
