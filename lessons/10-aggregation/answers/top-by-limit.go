//go:build ignore

// Wrong: the revenue of every product, the best first, cut with a LIMIT as
// long as the list of categories. That keeps the twelve best sellers of
// the whole shop, and they crowd into the categories that sell dear: most
// categories get no line, a few get several.
//
//dblings:answer failed over=solution assertion="top product of every category" says="per category"
package aggregation

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TopProducts(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error) {
	rows, err := db.Query(ctx, `
SELECT * FROM (
    SELECT c.name, p.id, p.name AS product, (sum(o.amount) * 100)::bigint AS revenue
    FROM orders o
    JOIN products p ON p.id = o.product_id
    JOIN categories c ON c.id = p.category_id
    WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'refunded')
    GROUP BY c.name, p.id
    ORDER BY revenue DESC
    LIMIT (SELECT count(*) FROM categories)
) best
ORDER BY name, revenue DESC`, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[CategoryTop])
}
