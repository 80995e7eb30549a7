// Package indextypes is lesson 13: Index types: unique, full text, expression, partial.
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in sessions.
//
// TODO(author): replace the example with the reference solution: the
// stub's declarations done right, with comments that say why.
//
// The database counts and sends back one number: one round trip, however
// many rows there are.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n)
	return n, err
}
