//go:build ignore

// Wrong: the running total in SQL, but the way it was written before
// window functions: the monthly totals joined with themselves, each month
// summing every month up to it. Right numbers, and quadratic work: twelve
// months cost 78 additions, ten years of days millions.
//
//dblings:answer failed over=solution assertion="running total by a window function" says="self-join"
package aggregation

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, `
WITH monthly AS (
    SELECT date_trunc('month', created_at, 'UTC') AS month, (sum(amount) * 100)::bigint AS revenue
    FROM orders
    WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ('cancelled', 'refunded')
    GROUP BY 1
)
SELECT a.month, a.revenue, sum(b.revenue)::bigint
FROM monthly a JOIN monthly b ON b.month <= a.month
GROUP BY a.month, a.revenue
ORDER BY a.month`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[MonthTotal])
}
