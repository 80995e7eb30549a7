// Package nplusone is lesson 7: N+1 queries: a page in two round trips.
//
// TODO(author): this is the file the learner starts from. Replace the
// example with the lesson's own declarations, and keep a TODO that says
// what to do.
package nplusone

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in posts.
//
// TODO: ask the database, with one query. Run `dblings hint n-plus-one` if
// you are stuck.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return 0, nil
}
