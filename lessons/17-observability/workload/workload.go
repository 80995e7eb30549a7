// Package workload is the traffic lesson 17's check sends to its database
// before it asks the learner's code what the database saw: a shop's
// pages, with an N+1 and a slow report planted in them. The seed decides
// which statements are planted and how much traffic each window carries,
// so that an answer fitted to one run fails on another.
//
// It is a package of its own because two sides need the same plan: the
// check, which runs it, and the second witness, which finds the planted
// statements in pg_stat_statements afterwards and counts their calls.
package workload

import (
	"math/rand/v2"
	"strings"
)

// The statements of the workload. Each is sent as is, with its arguments
// as parameters, so that pg_stat_statements keeps its text unchanged.
const (
	// FeedList lists one page of the newest orders; the feed then looks
	// up each order's product one statement at a time (the N+1).
	FeedList = `SELECT id, product_id FROM orders ORDER BY id DESC LIMIT $1 OFFSET $2`
	// ProductPage is the one statement of a product page.
	ProductPage = `SELECT id, name, price_cents FROM products WHERE id = $1`
)

// ReportLimit is how many rows a report shows.
const ReportLimit = 10

// PerPage is how many orders a feed page shows, hence how many times it
// runs the N+1 statement.
const PerPage = 20

// nPlusOne are the statements a feed page may run once per order, each a
// product with a figure over its 300 orders: a fraction of a millisecond
// each, which the feed multiplies.
var nPlusOne = []string{
	`SELECT p.name, p.price_cents, (SELECT sum(o.amount_cents) FROM orders o WHERE o.product_id = p.id) AS revenue FROM products p WHERE p.id = $1`,
	`SELECT p.name, (SELECT count(*) FROM orders o WHERE o.product_id = p.id AND o.amount_cents > p.price_cents) AS above_list FROM products p WHERE p.id = $1`,
}

// slow are the reports that may be planted: each aggregates the most
// recent third of the orders, milliseconds where a lookup takes a
// fraction of one, and runs only a few times. Their parameters are
// RecentFrom and, where they show a top list, ReportLimit.
var slow = []string{
	`SELECT customer_id, sum(amount_cents) AS spent FROM orders WHERE id > $1 GROUP BY customer_id ORDER BY spent DESC LIMIT $2`,
	`SELECT c.region, count(*) AS orders, sum(o.amount_cents) AS revenue FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id > $1 GROUP BY c.region`,
	`SELECT product_id, count(*) AS orders, avg(amount_cents) AS average FROM orders WHERE id > $1 GROUP BY product_id ORDER BY average DESC LIMIT $2`,
}

// RecentFrom is the last order before the reports' window: they read the
// orders after it, the most recent third of the 120,000.
const RecentFrom = 80_000

// Window is the traffic of one window of the run (a metrics scrape
// interval): so many product pages, feed pages and reports.
type Window struct {
	ProductPages, FeedPages, Reports int
}

// Plan is one run's workload.
type Plan struct {
	// NPlusOne is the statement each feed page runs once per order.
	NPlusOne string
	// Slow is the planted report.
	Slow string
	// Windows are the run's windows, in order: quiet ones (mostly product
	// pages) alternate with busy ones (mostly feed pages), so that each
	// window's percentiles differ from the whole run's.
	Windows []Window
	// PoolSize is the size of the learner's pool in this run.
	PoolSize int32
	// Held is how many of the pool's connections the check holds while
	// the learner's code counts connections.
	Held int
}

// For returns the plan of the given seed.
func For(seed uint64) Plan {
	r := rand.New(rand.NewPCG(seed, 0x0b5e7))
	p := Plan{
		NPlusOne: nPlusOne[r.IntN(len(nPlusOne))],
		Slow:     slow[r.IntN(len(slow))],
		PoolSize: int32(6 + r.IntN(5)),
		Held:     2 + r.IntN(3),
	}
	n := 6 + 2*r.IntN(2) // 6 or 8 windows
	reports := 2 + r.IntN(2)
	for i := range n {
		w := Window{ProductPages: 40 + r.IntN(20), FeedPages: 1 + r.IntN(2)}
		if i%2 == 1 {
			w = Window{ProductPages: 8 + r.IntN(6), FeedPages: 22 + r.IntN(8)}
		}
		p.Windows = append(p.Windows, w)
	}
	for i := range reports {
		p.Windows[2*i+1].Reports++ // in the busy windows
	}
	// An odd number of requests: no percentile's rank p×n is a whole
	// number, so nearest rank and an off-by-one rank never coincide.
	if p.Requests()%2 == 0 {
		p.Windows[0].ProductPages++
	}
	return p
}

// Requests counts the pages of the run: each is one request, one latency.
func (p Plan) Requests() int {
	n := 0
	for _, w := range p.Windows {
		n += w.ProductPages + w.FeedPages + w.Reports
	}
	return n
}

// NPlusOneCalls is how many times the run executes the N+1 statement.
func (p Plan) NPlusOneCalls() int64 {
	n := 0
	for _, w := range p.Windows {
		n += w.FeedPages
	}
	return int64(n * PerPage)
}

// SlowCalls is how many times the run executes the planted report.
func (p Plan) SlowCalls() int64 {
	n := 0
	for _, w := range p.Windows {
		n += w.Reports
	}
	return int64(n)
}

// SlowArgs are the arguments of the planted report.
func (p Plan) SlowArgs() []any {
	if strings.Contains(p.Slow, "$2") {
		return []any{RecentFrom, ReportLimit}
	}
	return []any{RecentFrom}
}

// Statements are every statement the workload sends.
func (p Plan) Statements() []string {
	return []string{p.NPlusOne, p.Slow, FeedList, ProductPage}
}
