//go:build ignore

// Wrong: a window function over monthly sums, as asked, but the sums take
// every order, cancelled and refunded ones too: money the shop never kept.
//
//dblings:answer failed over=solution assertion="running total is exact" says="cancelled and refunded ones too"
package aggregation

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, `
SELECT month, revenue, (sum(revenue) OVER (ORDER BY month))::bigint
FROM (
    SELECT date_trunc('month', created_at, 'UTC') AS month, (sum(amount) * 100)::bigint AS revenue
    FROM orders WHERE created_at >= $1 AND created_at < $2
    GROUP BY month
) monthly
ORDER BY month`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[MonthTotal])
}
