//go:build ignore

// Wrong: (created_at, id) <= instead of <: the last post of every page is
// also the first of the next.
//
//dblings:answer failed over=row-value-hmac assertion="every post once, in order" says="The cursor's comparison must be strict"
package pagination

const nextPage = `SELECT id, author_id, title, created_at FROM posts
WHERE (created_at, id) <= ($1, $2)
ORDER BY created_at DESC, id DESC LIMIT $3`
