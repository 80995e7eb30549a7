//go:build ignore

// Wrong: the cursor and the WHERE have the id, but the ORDER BY does not: the
// order within a second is whatever the plan gives.
//
//dblings:answer failed over=row-value-hmac assertion="the ORDER BY defines one order" says="need the id as a tiebreak"
package pagination

const (
	firstPage = `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC LIMIT $1`
	nextPage = `SELECT id, author_id, title, created_at FROM posts
WHERE (created_at, id) < ($1, $2)
ORDER BY created_at DESC LIMIT $3`
)
