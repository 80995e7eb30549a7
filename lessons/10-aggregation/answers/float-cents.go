//go:build ignore

// Wrong: the sums are made by GROUP BY in the database, but over floats
// (sum(amount::float8)), read into float64 and turned into cents with
// int64(f * 100). Most amounts have no exact binary form, so every addition
// rounds; the sum of thousands drifts a little above or below the cent, and
// the conversion cuts off what is left: lines come out a cent short.
//
//dblings:answer failed over=solution assertion="revenue by status is exact" says="few cents off"
package aggregation

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueByStatus(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error) {
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at, 'UTC') AS month, status, count(*), sum(amount::float8)
FROM orders WHERE created_at >= $1 AND created_at < $2
GROUP BY month, status ORDER BY month, status`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatusMonth
	for rows.Next() {
		var s StatusMonth
		var revenue float64
		if err := rows.Scan(&s.Month, &s.Status, &s.Orders, &revenue); err != nil {
			return nil, err
		}
		s.RevenueCents = int64(revenue * 100)
		out = append(out, s)
	}
	return out, rows.Err()
}
