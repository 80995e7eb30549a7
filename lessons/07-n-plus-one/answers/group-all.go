//go:build ignore

// Wrong: the query most of us write first. One query, every post kept by
// the LEFT JOIN, count(c.id) right for the posts nobody answered, and the
// page is exact. But the GROUP BY runs over every post and every comment
// of the forum before the LIMIT keeps a hundred: here slower than the 201
// small queries it replaces, and slower every day the forum grows.
//
//dblings:answer failed over=solution assertion="reads only the page's comments" says="ran over the whole forum"
package nplusone

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.title, p.created_at, p.author_id, u.name, count(c.id)
FROM posts p
JOIN users u ON u.id = p.author_id
LEFT JOIN comments c ON c.post_id = p.id
GROUP BY p.id, u.id
ORDER BY p.created_at DESC, p.id DESC
LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (PostSummary, error) {
		var p PostSummary
		err := row.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID, &p.Author, &p.Comments)
		return p, err
	})
}
