//go:build ignore

// Right: sums read as exact numerics (pgtype.Numeric) and turned into
// cents in Go with integer arithmetic, never a float; the running total by
// a window function over a CTE; the best seller of each category by a
// LATERAL subquery, one small ORDER BY ... LIMIT 1 per category.
//
//dblings:answer passed
package aggregation

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueByStatus(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error) {
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at, 'UTC'), status, count(*), sum(amount)
FROM orders WHERE created_at >= $1 AND created_at < $2
GROUP BY 1, 2 ORDER BY 1, 2`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatusMonth
	for rows.Next() {
		var s StatusMonth
		var sum pgtype.Numeric
		if err := rows.Scan(&s.Month, &s.Status, &s.Orders, &sum); err != nil {
			return nil, err
		}
		if s.RevenueCents, err = numericToCents(sum); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	rows, err := db.Query(ctx, `
WITH monthly AS (
    SELECT date_trunc('month', created_at, 'UTC') AS month, sum(amount) AS revenue
    FROM orders
    WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ('cancelled', 'refunded')
    GROUP BY 1
)
SELECT month, revenue, sum(revenue) OVER (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM monthly ORDER BY month`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MonthTotal
	for rows.Next() {
		var m MonthTotal
		var revenue, running pgtype.Numeric
		if err := rows.Scan(&m.Month, &revenue, &running); err != nil {
			return nil, err
		}
		if m.RevenueCents, err = numericToCents(revenue); err != nil {
			return nil, err
		}
		if m.RunningCents, err = numericToCents(running); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func TopProducts(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error) {
	rows, err := db.Query(ctx, `
SELECT c.name, best.id, best.name, best.revenue
FROM categories c
CROSS JOIN LATERAL (
    SELECT p.id, p.name, sum(o.amount) AS revenue
    FROM orders o JOIN products p ON p.id = o.product_id
    WHERE p.category_id = c.id
      AND o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'refunded')
    GROUP BY p.id
    ORDER BY revenue DESC, p.id
    LIMIT 1
) best
ORDER BY c.name`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CategoryTop
	for rows.Next() {
		var t CategoryTop
		var revenue pgtype.Numeric
		if err := rows.Scan(&t.Category, &t.ProductID, &t.Product, &revenue); err != nil {
			return nil, err
		}
		if t.RevenueCents, err = numericToCents(revenue); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// numericToCents turns an exact numeric into cents: its digits times ten
// to the power of its exponent plus two, all in integers.
func numericToCents(n pgtype.Numeric) (int64, error) {
	if !n.Valid || n.NaN {
		return 0, fmt.Errorf("not an amount: %v", n)
	}
	c := new(big.Int).Set(n.Int)
	exp := big.NewInt(10)
	switch e := n.Exp + 2; {
	case e > 0:
		c.Mul(c, new(big.Int).Exp(exp, big.NewInt(int64(e)), nil))
	case e < 0:
		q, r := c.QuoRem(c, new(big.Int).Exp(exp, big.NewInt(int64(-e)), nil), new(big.Int))
		if r.Sign() != 0 {
			return 0, fmt.Errorf("%v is not a whole number of cents", n)
		}
		c = q
	}
	return c.Int64(), nil
}
