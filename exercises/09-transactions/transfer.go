// Package transactions is lesson 9: Transactions and isolation: money that adds up.
//
// TODO(author): this is the file the learner starts from. Replace the
// example with the lesson's own declarations, and keep a TODO that says
// what to do.
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in accounts.
//
// TODO: ask the database, with one query. Run `dblings hint transactions` if
// you are stuck.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return 0, nil
}
