// Package countposts is the example lesson pack's lesson: let the database
// count.
package countposts

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in posts.
//
// The database counts and sends back one number: one round trip, however
// many rows there are.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, `SELECT count(*) FROM posts`).Scan(&n)
	return n, err
}
