//go:build ignore

// Wrong: the right index, but the query changed too. Ordering by id lets the
// primary key serve the order, which answers another question: the page
// lists the newest posts by creation time.
//
//dblings:answer failed over=author-created-desc assertion="the given query is unchanged" says="NewestPostsQuery was changed"
package explainindex

const NewestPostsQuery = `SELECT id, title, created_at
FROM posts
WHERE author_id = $1
ORDER BY id DESC
LIMIT 20`
