//go:build ignore

// Right: the reference solution, author_id then created_at DESC, the index in
// exactly the order the query asks for.
//
//dblings:answer passed over=solution
package explainindex
