//go:build ignore

// Wrong: a right keyset query, but no index: every page sorts the table.
//
//dblings:answer failed over=row-value-hmac assertion="an index serves the first page" says="reads the whole posts table"
package pagination

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}
