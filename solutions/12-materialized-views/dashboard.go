// Package materializedviews is lesson 12: a sales dashboard read from a
// materialized view, kept fresh without ever blocking its readers.
package materializedviews

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DashboardRow is one cell of the sales dashboard: what one category
// earned in one month.
type DashboardRow struct {
	Month        time.Time // the first instant of the month, UTC
	Category     string
	Orders       int64
	RevenueCents int64
}

// DashboardQuery computes the dashboard from the orders: per month (in
// UTC) and category, how many orders and what they came to, cancelled and
// refunded orders left out. Over 300,000 orders it reads the whole orders
// table on every call.
const DashboardQuery = `
SELECT date_trunc('month', o.created_at, 'UTC') AS month,
       c.name AS category,
       count(*) AS orders,
       sum(o.amount) AS revenue
FROM orders o
JOIN products p ON p.id = o.product_id
JOIN categories c ON c.id = p.category_id
WHERE o.status NOT IN ('cancelled', 'refunded')
GROUP BY 1, 2`

// NewOrder is an order placed through the shop.
type NewOrder struct {
	ProductID   int64
	Quantity    int32
	AmountCents int64
	CreatedAt   time.Time
}

// Migrate keeps the dashboard's result in a materialized view: the query
// runs once here and again at each refresh, never on a page view.
//
// The unique index is what REFRESH ... CONCURRENTLY needs: it refreshes by
// computing the query into a new result and comparing it with the view row
// by row, and the index (on plain columns, with no WHERE) is how it matches
// a new row with the old one. (month, category) identifies a cell.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE MATERIALIZED VIEW sales_dashboard AS `+DashboardQuery); err != nil {
			return fmt.Errorf("create the dashboard's view: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE UNIQUE INDEX sales_dashboard_cell ON sales_dashboard (month, category)`); err != nil {
			return fmt.Errorf("index the dashboard's view: %w", err)
		}
		return nil
	})
}

// Dashboard reads the cells from the view: a few hundred rows on a few
// pages, whatever the number of orders.
func Dashboard(ctx context.Context, db *pgxpool.Pool) ([]DashboardRow, error) {
	rows, err := db.Query(ctx, `
SELECT month, category, orders, (revenue * 100)::bigint
FROM sales_dashboard
ORDER BY month, category`)
	if err != nil {
		return nil, fmt.Errorf("read the dashboard: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
}

// PlaceOrder records a new order, pending, and returns its id. The view
// sees it at the next refresh.
func PlaceOrder(ctx context.Context, db *pgxpool.Pool, o NewOrder) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `
INSERT INTO orders (product_id, quantity, amount, status, created_at)
VALUES ($1, $2, $3::numeric / 100, 'pending', $4)
RETURNING id`, o.ProductID, o.Quantity, o.AmountCents, o.CreatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("place an order for product %d: %w", o.ProductID, err)
	}
	return id, nil
}

// Refresh recomputes the view CONCURRENTLY: it takes an EXCLUSIVE lock,
// which lets readers go on reading the old rows while the new ones are
// computed and swapped in row by row. A plain REFRESH would take an ACCESS
// EXCLUSIVE lock instead and make every reader wait for the whole
// recomputation. Whatever wrote the orders (this program, another service,
// a person in psql), the refresh sees it.
func Refresh(ctx context.Context, db *pgxpool.Pool) error {
	if _, err := db.Exec(ctx, `REFRESH MATERIALIZED VIEW CONCURRENTLY sales_dashboard`); err != nil {
		return fmt.Errorf("refresh the dashboard: %w", err)
	}
	return nil
}
