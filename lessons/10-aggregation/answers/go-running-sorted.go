//go:build ignore

// Wrong, though every number is right: the monthly sums come back in
// calendar order (ORDER BY month) and the running total is added up in
// Go. The lesson asks the database to do the math: a window function adds
// the months up in the same query, where they already are in order.
//
//dblings:answer failed over=solution assertion="running total by a window function" says="added up in Go"
package aggregation

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at, 'UTC') AS month, (sum(amount) * 100)::bigint
FROM orders
WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ('cancelled', 'refunded')
GROUP BY month ORDER BY month`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MonthTotal
	var running int64
	for rows.Next() {
		var m MonthTotal
		if err := rows.Scan(&m.Month, &m.RevenueCents); err != nil {
			return nil, err
		}
		running += m.RevenueCents
		m.RunningCents = running
		out = append(out, m)
	}
	return out, rows.Err()
}
