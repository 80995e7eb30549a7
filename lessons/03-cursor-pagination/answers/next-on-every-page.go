//go:build ignore

// Wrong: every page gets a Next cursor, even the last, and the empty page
// after it panics on posts[len(posts)-1].
//
//dblings:answer failed over=row-value-hmac assertion="walk the whole feed" says="when the feed had ended: Feed panicked"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Feed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error) {
	rows, err := queryPage(ctx, db, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	posts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Post])
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: posts}
	last := posts[len(posts)-1]
	page.Next = encodeCursor(position{at: last.CreatedAt, id: last.ID})
	return page, nil
}
