//go:build ignore

// Wrong: the right number, but a needless second query first (a "does the
// table exist" probe): two round trips where one does.
//
//dblings:answer failed assertion="one round trip" says="2 round trips"
package countposts

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	if _, err := db.Exec(ctx, `SELECT 1 FROM posts LIMIT 1`); err != nil {
		return 0, err
	}
	var n int64
	err := db.QueryRow(ctx, `SELECT count(*) FROM posts`).Scan(&n)
	return n, err
}
