// Package softdeleteaudit is lesson 11: Soft deletes and an audit trail.
//
// TODO(author): this is the file the learner starts from. Replace the
// example with the lesson's own declarations, and keep a TODO that says
// what to do.
package softdeleteaudit

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountRows returns the number of rows in users.
//
// TODO: ask the database, with one query. Run `dblings hint soft-delete-audit` if
// you are stuck.
func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return 0, nil
}
