//go:build ignore

// Right: two queries. The posts come with their authors through a JOIN;
// then one query counts the comments of all the page's posts at once, the
// ids passed as a single array. Posts missing from its result have none.
//
//dblings:answer passed over=solution
package nplusone

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.title, p.created_at, p.author_id, u.name
FROM posts p JOIN users u ON u.id = p.author_id
ORDER BY p.created_at DESC, p.id DESC
LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	page, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PostSummary, error) {
		var p PostSummary
		err := row.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID, &p.Author)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(page))
	for i, p := range page {
		ids[i] = p.ID
	}
	rows, err = db.Query(ctx, `SELECT post_id, count(*) FROM comments WHERE post_id = ANY($1) GROUP BY post_id`, ids)
	if err != nil {
		return nil, err
	}
	counts := map[int64]int64{}
	var id, n int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { counts[id] = n; return nil }); err != nil {
		return nil, err
	}
	for i := range page {
		page[i].Comments = counts[page[i].ID]
	}
	return page, nil
}
