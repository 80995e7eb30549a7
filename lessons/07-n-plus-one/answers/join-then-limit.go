//go:build ignore

// Wrong: one query joining posts, users and comments, one row per comment,
// with the LIMIT on those rows, then the comments counted in Go. The join
// multiplies each post by its comments, so the LIMIT keeps 100 rows, not
// 100 posts, and the busiest post fills much of the page.
//
//dblings:answer failed over=solution assertion="the page is exact" says="a post comes back once per comment"
package nplusone

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.title, p.created_at, p.author_id, u.name, c.id
FROM posts p
JOIN users u ON u.id = p.author_id
LEFT JOIN comments c ON c.post_id = p.id
ORDER BY p.created_at DESC, p.id DESC
LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	var page []PostSummary
	var p PostSummary
	var comment *int64
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID, &p.Author, &comment}, func() error {
		p.Comments = 0
		if comment != nil {
			p.Comments = 1
		}
		if n := len(page); n > 0 && page[n-1].ID == p.ID {
			page[n-1].Comments += p.Comments
			return nil
		}
		page = append(page, p)
		return nil
	})
	return page, err
}
