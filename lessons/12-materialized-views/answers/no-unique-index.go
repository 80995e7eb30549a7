//go:build ignore

// Wrong: the materialized view with an index on (month, category), but not
// a unique one. Reads are fast; REFRESH ... CONCURRENTLY refuses to run,
// since it matches new rows with old ones through a unique index.
//
//dblings:answer failed over=solution assertion="the refresh runs" says="unique index on plain columns"
package materializedviews

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE MATERIALIZED VIEW sales_dashboard AS `+DashboardQuery); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE INDEX sales_dashboard_cell ON sales_dashboard (month, category)`)
		return err
	})
}
