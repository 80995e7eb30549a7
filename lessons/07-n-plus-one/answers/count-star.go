//go:build ignore

// Wrong: the posts limited first, then a LEFT JOIN on comments, grouped:
// every post is there, in order, but count(*) counts the row of NULLs the
// LEFT JOIN makes up for a post without comments, so those posts show 1.
//
//dblings:answer failed over=solution assertion="the page is exact" says="count(*) counts the row the join makes up"
package nplusone

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.title, p.created_at, p.author_id, u.name, count(*)
FROM (SELECT * FROM posts ORDER BY created_at DESC, id DESC LIMIT $1) p
JOIN users u ON u.id = p.author_id
LEFT JOIN comments c ON c.post_id = p.id
GROUP BY p.id, p.title, p.created_at, p.author_id, u.name
ORDER BY p.created_at DESC, p.id DESC`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (PostSummary, error) {
		var p PostSummary
		err := row.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID, &p.Author, &p.Comments)
		return p, err
	})
}
