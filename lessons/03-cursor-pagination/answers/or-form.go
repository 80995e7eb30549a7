//go:build ignore

// Wrong: the expanded comparison without a bound the index can use: Postgres
// scans from the newest post and filters everything before the cursor.
//
//dblings:answer failed over=row-value-hmac assertion="page 10,000 reads only its own rows" says="a Filter throws 199,980 rows away"
package pagination

const nextPage = `SELECT id, author_id, title, created_at FROM posts
WHERE created_at < $1 OR (created_at = $1 AND id < $2)
ORDER BY created_at DESC, id DESC LIMIT $3`
