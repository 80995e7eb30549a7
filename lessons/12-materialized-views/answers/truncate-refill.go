//go:build ignore

// Wrong: a plain table instead of a view, refreshed by emptying it and
// filling it again in one transaction. The TRUNCATE takes an ACCESS
// EXCLUSIVE lock and keeps it until the transaction commits, after the
// whole dashboard was recomputed: readers wait all that time, as with a
// plain REFRESH.
//
//dblings:answer failed assertion="readers not blocked by the refresh" says="until its transaction ends"
package materializedviews

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TABLE sales_dashboard AS `+DashboardQuery); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `ALTER TABLE sales_dashboard ADD PRIMARY KEY (month, category)`)
		return err
	})
}

func Dashboard(ctx context.Context, db *pgxpool.Pool) ([]DashboardRow, error) {
	rows, err := db.Query(ctx, `SELECT month, category, orders, (revenue * 100)::bigint FROM sales_dashboard ORDER BY month, category`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
}

func Refresh(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `TRUNCATE sales_dashboard`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sales_dashboard `+DashboardQuery)
		return err
	})
}
