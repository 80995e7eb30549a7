//go:build ignore

// Right: a plain table refreshed by hand, the way CONCURRENTLY does it in
// spirit: in one transaction, DELETE every row and INSERT the new ones.
// DELETE takes only a ROW EXCLUSIVE lock, so readers go on reading the old
// rows until the transaction commits, then see the new ones at once. The
// price: each refresh leaves a table's worth of dead rows for VACUUM.
//
//dblings:answer passed
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
		if _, err := tx.Exec(ctx, `DELETE FROM sales_dashboard`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sales_dashboard `+DashboardQuery)
		return err
	})
}
