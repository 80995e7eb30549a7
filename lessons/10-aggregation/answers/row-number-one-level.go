//go:build ignore

// Right: the same report written another way. Months by AT TIME ZONE
// (a timestamp without zone, which pgx reads as UTC); the running total as
// a window over the aggregate itself, sum(sum(amount)) OVER (ORDER BY ...),
// with no subquery; the best seller of each category by row_number() over
// a partition, filtered in an outer query.
//
//dblings:answer passed
package aggregation

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueByStatus(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error) {
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at AT TIME ZONE 'UTC'), status, count(*), (sum(amount) * 100)::bigint
FROM orders WHERE created_at >= $1 AND created_at < $2
GROUP BY 1, 2 ORDER BY 1, 2`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[StatusMonth])
}

func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at AT TIME ZONE 'UTC') AS month,
       (sum(amount) * 100)::bigint,
       (sum(sum(amount)) OVER (ORDER BY date_trunc('month', created_at AT TIME ZONE 'UTC')) * 100)::bigint
FROM orders
WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ('cancelled', 'refunded')
GROUP BY 1 ORDER BY 1`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[MonthTotal])
}

func TopProducts(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error) {
	rows, err := db.Query(ctx, `
SELECT category, id, name, revenue FROM (
    SELECT c.name AS category, p.id, p.name, (sum(o.amount) * 100)::bigint AS revenue,
           row_number() OVER (PARTITION BY c.id ORDER BY sum(o.amount) DESC, p.id) AS place
    FROM orders o
    JOIN products p ON p.id = o.product_id
    JOIN categories c ON c.id = p.category_id
    WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'refunded')
    GROUP BY c.id, p.id
) ranked
WHERE place = 1
ORDER BY category`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[CategoryTop])
}
