//go:build ignore

// Wrong: a typo in the column name. The migration itself fails, and the check
// must say so with Postgres's own words instead of judging a plan.
//
//dblings:answer failed assertion="your migration runs" says="no_such_column"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX ON posts (no_such_column)`)
	return err
}
