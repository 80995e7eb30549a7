//go:build ignore

// Wrong: the stub's small queries, all sent in one pgx.Batch after the
// posts. Two round trips, so the waiting is gone, but the server still
// parses, plans and runs two queries per post.
//
//dblings:answer failed assertion="at most 2 queries for the page" says="a pgx.Batch saves the waiting"
package nplusone

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, NewestPosts, limit)
	if err != nil {
		return nil, err
	}
	page, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PostSummary, error) {
		var p PostSummary
		err := row.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	for i := range page {
		p := &page[i]
		b.Queue(`SELECT name FROM users WHERE id = $1`, p.AuthorID).QueryRow(func(row pgx.Row) error { return row.Scan(&p.Author) })
		b.Queue(`SELECT count(*) FROM comments WHERE post_id = $1`, p.ID).QueryRow(func(row pgx.Row) error { return row.Scan(&p.Comments) })
	}
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("authors and counts: %w", err)
	}
	return page, nil
}
