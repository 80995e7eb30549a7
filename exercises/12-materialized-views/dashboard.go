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

// Migrate prepares the database for the dashboard. The shop runs it once,
// before anything else.
//
// TODO: the dashboard recomputes DashboardQuery on every page view. Keep
// its result in a materialized view called sales_dashboard (the columns of
// DashboardQuery: month, category, orders, revenue), make Dashboard read
// it, and Refresh bring it up to date without blocking the readers. Run
// `dblings hint materialized-views` if you are stuck.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}

// Dashboard returns every cell of the dashboard, ordered by month, then
// category.
func Dashboard(ctx context.Context, db *pgxpool.Pool) ([]DashboardRow, error) {
	rows, err := db.Query(ctx, `
SELECT month, category, orders, (revenue * 100)::bigint
FROM (`+DashboardQuery+`) dashboard
ORDER BY month, category`)
	if err != nil {
		return nil, fmt.Errorf("read the dashboard: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
}

// PlaceOrder records a new order, pending, and returns its id.
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

// Refresh brings the dashboard up to date with the orders. The shop calls
// it after writes and on a schedule, while customers keep reading the
// dashboard.
func Refresh(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}
