// Package aggregation is lesson 10: a revenue report that does its math
// in the database.
package aggregation

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
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

// RevenueByStatus returns one line per month and status that had orders,
// ordered by month, then status.
//
// TODO: all three functions pull every order of the period into Go and add
// them up here: a hundred thousand rows cross the network to make a few
// dozen. Let the database do the math (GROUP BY, window functions) and
// send back only the result. Run `dblings hint aggregation` if you are
// stuck.
func RevenueByStatus(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error) {
	orders, err := loadOrders(ctx, db, from, to)
	if err != nil {
		return nil, err
	}
	type key struct {
		month  time.Time
		status string
	}
	lines := map[key]*StatusMonth{}
	for _, o := range orders {
		k := key{monthOf(o.createdAt), o.status}
		if lines[k] == nil {
			lines[k] = &StatusMonth{Month: k.month, Status: k.status}
		}
		lines[k].Orders++
		lines[k].RevenueCents += o.cents
	}
	out := make([]StatusMonth, 0, len(lines))
	for _, l := range lines {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b StatusMonth) int {
		return cmp.Or(a.Month.Compare(b.Month), cmp.Compare(a.Status, b.Status))
	})
	return out, nil
}

// RevenueRunningTotal returns the revenue of every month of the period
// that had any, in month order, each with the running total so far.
func RevenueRunningTotal(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error) {
	orders, err := loadOrders(ctx, db, from, to)
	if err != nil {
		return nil, err
	}
	perMonth := map[time.Time]int64{}
	for _, o := range orders {
		if counts(o.status) {
			perMonth[monthOf(o.createdAt)] += o.cents
		}
	}
	months := make([]time.Time, 0, len(perMonth))
	for m := range perMonth {
		months = append(months, m)
	}
	slices.SortFunc(months, time.Time.Compare)
	out := make([]MonthTotal, 0, len(months))
	var running int64
	for _, m := range months {
		running += perMonth[m]
		out = append(out, MonthTotal{Month: m, RevenueCents: perMonth[m], RunningCents: running})
	}
	return out, nil
}

// TopProducts returns the best seller of every category that sold
// anything in the period, ordered by category name.
func TopProducts(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error) {
	orders, err := loadOrders(ctx, db, from, to)
	if err != nil {
		return nil, err
	}
	products, err := loadProducts(ctx, db)
	if err != nil {
		return nil, err
	}
	revenue := map[int64]int64{}
	for _, o := range orders {
		if counts(o.status) {
			revenue[o.productID] += o.cents
		}
	}
	best := map[string]CategoryTop{}
	for id, cents := range revenue {
		p := products[id]
		b, seen := best[p.category]
		if !seen || cents > b.RevenueCents || cents == b.RevenueCents && id < b.ProductID {
			best[p.category] = CategoryTop{Category: p.category, ProductID: id, Product: p.name, RevenueCents: cents}
		}
	}
	out := make([]CategoryTop, 0, len(best))
	for _, b := range best {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b CategoryTop) int { return cmp.Compare(a.Category, b.Category) })
	return out, nil
}

// order is one order, as the report needs it.
type order struct {
	status    string
	cents     int64
	createdAt time.Time
	productID int64
}

// loadOrders reads every order of the period.
func loadOrders(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]order, error) {
	rows, err := db.Query(ctx, `SELECT status, amount, created_at, product_id FROM orders
WHERE created_at >= $1 AND created_at < $2`, from, to)
	if err != nil {
		return nil, fmt.Errorf("read the orders: %w", err)
	}
	defer rows.Close()
	var out []order
	for rows.Next() {
		var o order
		var amount pgtype.Numeric
		if err := rows.Scan(&o.status, &amount, &o.createdAt, &o.productID); err != nil {
			return nil, fmt.Errorf("read the orders: %w", err)
		}
		if o.cents, err = toCents(amount); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

type product struct{ name, category string }

// loadProducts reads every product with its category's name.
func loadProducts(ctx context.Context, db *pgxpool.Pool) (map[int64]product, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.name, c.name FROM products p JOIN categories c ON c.id = p.category_id`)
	if err != nil {
		return nil, fmt.Errorf("read the products: %w", err)
	}
	defer rows.Close()
	out := map[int64]product{}
	for rows.Next() {
		var id int64
		var p product
		if err := rows.Scan(&id, &p.name, &p.category); err != nil {
			return nil, fmt.Errorf("read the products: %w", err)
		}
		out[id] = p
	}
	return out, rows.Err()
}

// toCents turns an exact numeric amount into cents, refusing anything
// finer than a cent.
func toCents(n pgtype.Numeric) (int64, error) {
	if !n.Valid || n.NaN || n.InfinityModifier != pgtype.Finite {
		return 0, fmt.Errorf("amount %v is not a number of cents", n)
	}
	c := new(big.Int).Set(n.Int)
	exp := n.Exp + 2
	for ; exp > 0; exp-- {
		c.Mul(c, big.NewInt(10))
	}
	for ; exp < 0; exp++ {
		q, r := new(big.Int).QuoRem(c, big.NewInt(10), new(big.Int))
		if r.Sign() != 0 {
			return 0, fmt.Errorf("amount %v has a fraction of a cent", n)
		}
		c = q
	}
	return c.Int64(), nil
}

// monthOf returns the first instant of t's month, in UTC.
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// counts says whether an order of this status is revenue.
func counts(status string) bool { return status != "cancelled" && status != "refunded" }
