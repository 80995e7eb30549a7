//go:build ignore

// Wrong: always fresh, because Dashboard refreshes the view (concurrently)
// before reading it. Every page view recomputes the whole dashboard from
// the orders: the cost the view was meant to save, plus the comparison.
//
//dblings:answer failed over=solution assertion="the dashboard reads few buffers" says="each time it is read"
package materializedviews

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Dashboard(ctx context.Context, db *pgxpool.Pool) ([]DashboardRow, error) {
	if _, err := db.Exec(ctx, `REFRESH MATERIALIZED VIEW CONCURRENTLY sales_dashboard`); err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, `SELECT month, category, orders, (revenue * 100)::bigint FROM sales_dashboard ORDER BY month, category`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
}
