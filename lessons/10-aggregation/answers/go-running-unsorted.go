//go:build ignore

// Wrong: the monthly sums come from a GROUP BY, and the running total is
// added up in Go, in the order the rows arrive; the lines are sorted by
// month afterwards. The query has no ORDER BY, and a hash aggregate hands
// its groups back in no calendar order: every running total after the
// first misplaced month is wrong.
//
//dblings:answer failed over=solution assertion="running total is exact" says="the order the rows came from the database"
package aggregation

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at, 'UTC'), (sum(amount) * 100)::bigint
FROM orders
WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ('cancelled', 'refunded')
GROUP BY 1`, from, to)
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
	slices.SortFunc(out, func(a, b MonthTotal) int { return a.Month.Compare(b.Month) })
	return out, rows.Err()
}
