//go:build ignore

// Wrong: keyset on created_at alone with <=, to avoid losing posts of the same
// second: the last post of every page comes back on the next.
//
//dblings:answer failed over=timestamp-only assertion="every post once, in order" says="it ended one page and opened the next"
package pagination

const nextPage = `SELECT id, author_id, title, created_at FROM posts
WHERE created_at <= $1
ORDER BY created_at DESC, id DESC LIMIT $2`
