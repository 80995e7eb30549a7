//go:build ignore

// Wrong: one query, but an inner JOIN on comments. The posts nobody
// answered have no row to join, so they drop out of the page, and older
// posts with comments take their places under the LIMIT.
//
//dblings:answer failed over=solution assertion="the page is exact" says="inner JOIN on comments drops the posts nobody answered"
package nplusone

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.title, p.created_at, p.author_id, u.name, count(c.id)
FROM (SELECT * FROM posts ORDER BY created_at DESC, id DESC LIMIT 500) p
JOIN users u ON u.id = p.author_id
JOIN comments c ON c.post_id = p.id
GROUP BY p.id, p.title, p.created_at, p.author_id, u.name
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
