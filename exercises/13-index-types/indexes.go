// Package indextypes is lesson 13: Index types: unique, full text, expression, partial.
//
// TODO(author): this is the file the learner starts from. Replace the
// example with the lesson's own declarations, and keep a TODO that says
// what to do.
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in sessions.
//
// TODO: ask the database, with one query. Run `dblings hint index-types` if
// you are stuck.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return 0, nil
}
