// Package aggregation is lesson 10: Aggregation: do the math in the database.
//
// TODO(author): this is the file the learner starts from. Replace the
// example with the lesson's own declarations, and keep a TODO that says
// what to do.
package aggregation

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in posts.
//
// TODO: ask the database, with one query. Run `dblings hint aggregation` if
// you are stuck.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return 0, nil
}
