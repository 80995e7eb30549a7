// Package aggregation is lesson 10: a revenue report that does its math
// in the database.
package aggregation

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The report covers the orders placed from `from` (included) to `to`
// (excluded). Months are calendar months in UTC. Amounts are in cents:
// orders.amount is a numeric(12,2), exact, and so must every total be.
// Revenue counts every order except cancelled and refunded ones.

// StatusMonth is one line of the table "orders by status": how many orders
// of one status were placed in one month, and what they came to.
type StatusMonth struct {
	Month        time.Time // the first instant of the month, UTC
	Status       string
	Orders       int64
	RevenueCents int64 // the sum of their amounts, whatever the status
}

// MonthTotal is one point of the revenue chart: what the month earned, and
// the running total from the first month of the report to this one.
type MonthTotal struct {
	Month        time.Time
	RevenueCents int64
	RunningCents int64
}

// CategoryTop is the best seller of one category: the product that earned
// the most revenue in the period (the lower product id on a tie).
type CategoryTop struct {
	Category     string
	ProductID    int64
	Product      string
	RevenueCents int64
}

// Every query below sums the numeric amounts in the database, where the
// sum is exact, and turns it into cents only at the end: sum(amount) * 100
// of a numeric(12,2) is a whole number, which ::bigint keeps as it is.
// Nothing is ever a float.

// byStatus groups the period's orders by month and status: the server
// reads the rows, and only one line per group comes back.
const byStatus = `
SELECT date_trunc('month', created_at, 'UTC') AS month, status,
       count(*), (sum(amount) * 100)::bigint
FROM orders
WHERE created_at >= $1 AND created_at < $2
GROUP BY month, status
ORDER BY month, status`

// runningTotal sums each month's revenue, then lets a window function add
// up the months in order: sum(...) OVER (ORDER BY month) sees, for each
// month, every month up to it. One pass over the orders, no self-join.
const runningTotal = `
SELECT month, revenue, (sum(revenue) OVER (ORDER BY month))::bigint
FROM (
    SELECT date_trunc('month', created_at, 'UTC') AS month, (sum(amount) * 100)::bigint AS revenue
    FROM orders
    WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ('cancelled', 'refunded')
    GROUP BY month
) monthly
ORDER BY month`

// topProducts sums the revenue of every product, then DISTINCT ON keeps
// the first line of each category in the ORDER BY: the highest revenue,
// and on a tie the lowest product id. A LIMIT would keep the best of the
// whole shop instead.
const topProducts = `
SELECT DISTINCT ON (c.name) c.name, p.id, p.name, (sum(o.amount) * 100)::bigint AS revenue
FROM orders o
JOIN products p ON p.id = o.product_id
JOIN categories c ON c.id = p.category_id
WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'refunded')
GROUP BY c.name, p.id
ORDER BY c.name, revenue DESC, p.id`

// RevenueByStatus returns one line per month and status that had orders,
// ordered by month, then status.
func RevenueByStatus(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error) {
	rows, err := db.Query(ctx, byStatus, from, to)
	if err != nil {
		return nil, fmt.Errorf("revenue by status: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StatusMonth, error) {
		var s StatusMonth
		err := r.Scan(&s.Month, &s.Status, &s.Orders, &s.RevenueCents)
		return s, err
	})
}

// RevenueRunningTotal returns the revenue of every month of the period
// that had any, in month order, each with the running total so far.
func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, runningTotal, from, to)
	if err != nil {
		return nil, fmt.Errorf("running total: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MonthTotal, error) {
		var m MonthTotal
		err := r.Scan(&m.Month, &m.RevenueCents, &m.RunningCents)
		return m, err
	})
}

// TopProducts returns the best seller of every category that sold
// anything in the period, ordered by category name.
func TopProducts(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error) {
	rows, err := db.Query(ctx, topProducts, from, to)
	if err != nil {
		return nil, fmt.Errorf("top products: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CategoryTop, error) {
		var t CategoryTop
		err := r.Scan(&t.Category, &t.ProductID, &t.Product, &t.RevenueCents)
		return t, err
	})
}
