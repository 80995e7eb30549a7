//go:build ignore

// Wrong: the revenue of every product is summed in the database, but all
// of them come back, and the best of each category is picked in Go. The
// answer is right; the network carries every product that sold to keep
// twelve.
//
//dblings:answer failed over=solution assertion="no more rows than the result" says="picking the best product of each category"
package aggregation

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TopProducts(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error) {
	rows, err := db.Query(ctx, `
SELECT c.name, p.id, p.name, (sum(o.amount) * 100)::bigint
FROM orders o
JOIN products p ON p.id = o.product_id
JOIN categories c ON c.id = p.category_id
WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'refunded')
GROUP BY c.name, p.id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	best := map[string]CategoryTop{}
	for rows.Next() {
		var t CategoryTop
		if err := rows.Scan(&t.Category, &t.ProductID, &t.Product, &t.RevenueCents); err != nil {
			return nil, err
		}
		b, seen := best[t.Category]
		if !seen || t.RevenueCents > b.RevenueCents || t.RevenueCents == b.RevenueCents && t.ProductID < b.ProductID {
			best[t.Category] = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []CategoryTop
	for _, t := range best {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b CategoryTop) int { return cmp.Compare(a.Category, b.Category) })
	return out, nil
}
