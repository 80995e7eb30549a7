// Package check is lesson 12's check: it plans the learner's dashboard
// read, writes orders through PlaceOrder and behind its back, reads the view
// while Refresh is held up half-way, and compares the refreshed dashboard
// with the orders. It lives in a package of its own, compiled once and
// cached, and the exercise's check_test.go hands it the learner's work: an
// edit then recompiles only the learner's file and that small shim.
package check

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

const (
	// viewName is the relation the lesson asks for; the check reads it
	// while Refresh runs.
	viewName = "sales_dashboard"
	// maxDashboardBuffers bounds what one read of the dashboard may touch:
	// a view of a few hundred cells fits on a handful of pages, whatever the
	// number of orders, while the query over the orders reads every page of
	// the table (about 2,800 at the fixture's size).
	maxDashboardBuffers = 100
	// placedInLastMonth and placedInNewMonth are the orders the check places
	// through PlaceOrder: some in the last month of the data, some in the
	// month after it, which the dashboard has no cell for yet.
	placedInLastMonth, placedInNewMonth = 40, 20
	// cancelled and refunded are the orders the check changes directly in
	// the database, as a back office would, without PlaceOrder.
	cancelled, refunded = 50, 30
	// stallWait bounds the wait for Refresh to reach the orders table while
	// the check holds it; readerLockWait is how long the check's reader
	// waits for a lock on the view before calling itself blocked.
	stallWait      = 5 * time.Second
	readerLockWait = 500 * time.Millisecond
)

// dashboardQuery is the check's own copy of the dashboard, in cents.
const dashboardQuery = `
SELECT date_trunc('month', o.created_at, 'UTC') AS month, c.name, count(*), (sum(o.amount) * 100)::bigint
FROM orders o
JOIN products p ON p.id = o.product_id
JOIN categories c ON c.id = p.category_id
WHERE o.status NOT IN ('cancelled', 'refunded')
GROUP BY 1, 2
ORDER BY 1, 2`

// DashboardRow is the check's copy of the exercise's DashboardRow: what one
// category earned in one month.
type DashboardRow struct {
	Month        time.Time // the first instant of the month, UTC
	Category     string
	Orders       int64
	RevenueCents int64
}

// NewOrder is the check's copy of the exercise's NewOrder: an order placed
// through the shop.
type NewOrder struct {
	ProductID   int64
	Quantity    int32
	AmountCents int64
	CreatedAt   time.Time
}

// Exercise is what the learner's package gives the check: its migration
// and dashboard functions, converting between its types and the check's
// own copies.
type Exercise struct {
	// Migrate is the learner's migration.
	Migrate func(ctx context.Context, db *pgxpool.Pool) error
	// Dashboard is the learner's Dashboard.
	Dashboard func(ctx context.Context, db *pgxpool.Pool) ([]DashboardRow, error)
	// PlaceOrder is the learner's PlaceOrder.
	PlaceOrder func(ctx context.Context, db *pgxpool.Pool, o NewOrder) (int64, error)
	// Refresh is the learner's Refresh.
	Refresh func(ctx context.Context, db *pgxpool.Pool) error
}

// Run is the check of lesson 12.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		"the dashboard reads few buffers":    3,
		"readers not blocked by the refresh": 3,
		"exact after a refresh":              3,
	}))
	ctx := c.Ctx()

	c.RequireNoError("your migration runs", ex.Migrate(ctx, c.Pool()))
	c.QueryLog().Reset()
	first, err := ex.Dashboard(ctx, c.Pool())
	c.RequireNoError("Dashboard runs", err)
	assertFewBuffers(c, ctx, c.QueryLog().Queries(checker.NotTxControl), len(first))

	// The writes: orders placed through the learner's PlaceOrder, and
	// orders cancelled and refunded behind its back.
	placed := placeOrders(c, ctx, ex)
	expectedByApp := addOrders(first, placed)
	changed := changeStatuses(c, ctx)

	seen := refreshWhileReading(c, ctx, ex)
	assertRefreshRuns(c, seen)
	assertReadersNotBlocked(c, seen)

	after := ordersDashboard(c, ctx)
	second, err := ex.Dashboard(ctx, c.Pool())
	c.RequireNoError("Dashboard runs after the refresh", err)
	assertExact(c, second, after, dashboardHistory{
		before: first, byApp: expectedByApp, placed: len(placed), changed: changed,
	})
}

// ordersDashboard computes the dashboard from the orders, with the check's
// own query.
func ordersDashboard(c *checker.Check, ctx context.Context) []DashboardRow {
	rows, err := c.Admin().Query(ctx, dashboardQuery)
	c.RequireNoError("compute the dashboard from the orders", err)
	cells, err := pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
	c.RequireNoError("compute the dashboard from the orders", err)
	return cells
}

// dashboardHistory is what the dashboard went through before a refresh, to explain
// a stale one.
type dashboardHistory struct {
	before  []DashboardRow // what Dashboard returned before the writes
	byApp   []DashboardRow // the dashboard with the placed orders and nothing else
	placed  int
	changed int
}

// assertExact compares the learner's dashboard after the refresh with the
// check's, cell by cell, and says why a stale one is stale.
func assertExact(c *checker.Check, got, want []DashboardRow, h dashboardHistory) {
	const name = "exact after a refresh"
	ev := checker.Evidence{Counts: map[string]int64{"cells": int64(len(got)), "expected_cells": int64(len(want)),
		"placed": int64(h.placed), "cancelled_or_refunded": int64(h.changed)}}
	diff := cellDiff(got, want)
	switch {
	case diff == "":
		c.Assert(name, true, fmt.Sprintf("after %d orders were placed and %d cancelled or refunded, the refreshed dashboard matches the orders: %d cells, every count and every cent",
			h.placed, h.changed, len(want)), ev)
	case cellDiff(got, h.before) == "":
		c.Assert(name, false, fmt.Sprintf("after %d orders were placed and %d cancelled or refunded, and Refresh returned, Dashboard still shows the numbers from before the writes (%s). A materialized view is a snapshot: it changes only when it is refreshed, so Refresh must refresh it (REFRESH MATERIALIZED VIEW CONCURRENTLY %s)",
			h.placed, h.changed, diff, viewName), ev)
	case cellDiff(got, h.byApp) == "":
		c.Assert(name, false, fmt.Sprintf("the dashboard counted the %d orders placed through PlaceOrder but not the %d orders cancelled or refunded outside PlaceOrder, directly in the database (%s). A total kept up to date by the application drifts from the orders as soon as anything else writes them: a back office, a script, another service. Let the database compute it (a materialized view, refreshed) or keep it with a trigger, which sees every write",
			h.placed, h.changed, diff), ev)
	default:
		c.Assert(name, false, fmt.Sprintf("Dashboard differs from the orders: %s; expected the cells of DashboardQuery, ordered by month, then category", diff), ev)
	}
}

// cellDiff describes how got differs from want, or returns "".
func cellDiff(got, want []DashboardRow) string {
	key := func(r DashboardRow) string { return r.Month.UTC().Format("Jan 2006") + " " + r.Category }
	wantBy := map[string]DashboardRow{}
	for _, r := range want {
		wantBy[key(r)] = r
	}
	gotKeys := map[string]bool{}
	var problems []string
	for _, r := range got {
		k := key(r)
		gotKeys[k] = true
		w, ok := wantBy[k]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s has no orders, but the dashboard shows %d", k, r.Orders))
		case r.Orders != w.Orders || r.RevenueCents != w.RevenueCents:
			problems = append(problems, fmt.Sprintf("%s shows %d orders for %s, the orders say %d for %s",
				k, r.Orders, formatCents(r.RevenueCents), w.Orders, formatCents(w.RevenueCents)))
		}
	}
	for _, r := range want {
		if !gotKeys[key(r)] {
			problems = append(problems, fmt.Sprintf("%s (%d orders, %s) is missing", key(r), r.Orders, formatCents(r.RevenueCents)))
		}
	}
	if len(problems) > 0 {
		if len(problems) > 3 {
			return fmt.Sprintf("%s; and %d more cells", strings.Join(problems[:3], "; "), len(problems)-3)
		}
		return strings.Join(problems, "; ")
	}
	if !slices.EqualFunc(got, want, func(a, b DashboardRow) bool { return key(a) == key(b) }) {
		return "the cells are right but not in order; ORDER BY month, category"
	}
	return ""
}

// assertFewBuffers plans what Dashboard sent: reading the dashboard must
// touch a handful of pages, not the orders.
func assertFewBuffers(c *checker.Check, ctx context.Context, reads []checker.Query, cells int) {
	const name = "the dashboard reads few buffers"
	ev := checker.Evidence{Queries: checker.Statements(reads)}
	var total int64
	var orders bool
	for _, q := range reads {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q.SQL)), "REFRESH") {
			c.Assert(name, false, fmt.Sprintf("Dashboard refreshes the view each time it is read (%s): every page view recomputes the whole dashboard from the orders, which is the cost the view was meant to save. Read %s as it is; refresh it in Refresh, after writes or on a schedule",
				checker.OneLine(q.SQL), viewName), ev)
			return
		}
		if !returnsRows(q.SQL) {
			continue
		}
		plan, err := checker.ExplainQuery(ctx, c.Admin(), q)
		c.RequireNoError("explain the dashboard's query", err)
		total += plan.TotalBuffers()
		orders = orders || plan.RowsScanned("orders") > 0
		if ev.Plan == nil || plan.TotalBuffers() > ev.Plan.TotalBuffers() {
			ev.Plan = plan
		}
	}
	ev.Counts = map[string]int64{"buffers": total, "max_buffers": maxDashboardBuffers, "cells": int64(cells)}
	switch {
	case len(reads) == 0:
		c.Assert(name, false, "Dashboard sent no query", ev)
	case total > maxDashboardBuffers && orders:
		c.Assert(name, false, fmt.Sprintf("Dashboard read %s buffers to show %d cells, at most %d expected: it aggregates the orders on every call. Compute the dashboard once into a materialized view (CREATE MATERIALIZED VIEW %s AS ...) and read the view",
			checker.FormatCount(total), cells, maxDashboardBuffers, viewName), ev)
	case total > maxDashboardBuffers:
		c.Assert(name, false, fmt.Sprintf("Dashboard read %s buffers to show %d cells, at most %d expected: a few hundred cells fit on a handful of pages", checker.FormatCount(total), cells, maxDashboardBuffers), ev)
	default:
		c.Assert(name, true, fmt.Sprintf("Dashboard read %s buffers for %d cells, without touching the orders", checker.FormatCount(total), cells), ev)
	}
}

// returnsRows says whether EXPLAIN can plan a statement.
func returnsRows(sql string) bool {
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimLeft(sql, " \t\n(")), " ")
	first = strings.TrimSpace(first)
	return first == "select" || first == "with" || first == "table" || first == "values"
}

// placeOrders places orders through the learner's PlaceOrder: in the last
// month of the data and in the month after it, for products read from
// the data, drawn from the run's seed.
func placeOrders(c *checker.Check, ctx context.Context, ex Exercise) []placedOrder {
	var last time.Time
	err := c.Admin().QueryRow(ctx, `SELECT date_trunc('month', max(created_at), 'UTC') FROM orders`).Scan(&last)
	c.RequireNoError("find the last month of orders", err)
	rows, err := c.Admin().Query(ctx, `SELECT p.id, c.name FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id`)
	c.RequireNoError("read the products", err)
	type product struct {
		id       int64
		category string
	}
	var products []product
	var pr product
	_, err = pgx.ForEachRow(rows, []any{&pr.id, &pr.category}, func() error {
		products = append(products, pr)
		return nil
	})
	c.RequireNoError("read the products", err)

	r := rand.New(rand.NewPCG(c.Seed(), 12))
	last = last.UTC()
	var placed []placedOrder
	for i := range placedInLastMonth + placedInNewMonth {
		month := last
		if i >= placedInLastMonth {
			month = last.AddDate(0, 1, 0)
		}
		p := products[r.IntN(len(products))]
		o := NewOrder{ProductID: p.id, Quantity: int32(1 + r.IntN(3)), AmountCents: 199 + r.Int64N(50_000),
			CreatedAt: month.Add(time.Duration(r.Int64N(int64(27 * 24 * time.Hour)))).Truncate(time.Second)}
		id, err := ex.PlaceOrder(ctx, c.Pool(), o)
		c.RequireNoError("PlaceOrder runs", err)
		placed = append(placed, placedOrder{id: id, order: o, category: p.category})
	}
	ids := make([]int64, len(placed))
	for i, p := range placed {
		ids[i] = p.id
	}
	var found int
	err = c.Admin().QueryRow(ctx, `SELECT count(*) FROM orders WHERE id = ANY($1) AND status = 'pending'`, ids).Scan(&found)
	c.RequireNoError("read the placed orders", err)
	c.Require("PlaceOrder records the order", found == len(placed),
		fmt.Sprintf("of the %d orders PlaceOrder placed, %d are in orders, pending, under the ids it returned; PlaceOrder must insert the order", len(placed), found),
		checker.Evidence{Counts: map[string]int64{"placed": int64(len(placed)), "found": int64(found)}})
	return placed
}

type placedOrder struct {
	id       int64
	order    NewOrder
	category string
}

// addOrders is the dashboard with the placed orders added and nothing
// else: what a total kept by PlaceOrder alone would show.
func addOrders(cells []DashboardRow, placed []placedOrder) []DashboardRow {
	out := slices.Clone(cells)
	for _, p := range placed {
		at := p.order.CreatedAt.UTC()
		month := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC)
		i := slices.IndexFunc(out, func(r DashboardRow) bool { return r.Month.Equal(month) && r.Category == p.category })
		if i < 0 {
			out = append(out, DashboardRow{Month: month, Category: p.category})
			i = len(out) - 1
		}
		out[i].Orders++
		out[i].RevenueCents += p.order.AmountCents
	}
	slices.SortFunc(out, func(a, b DashboardRow) int {
		return cmp.Or(a.Month.Compare(b.Month), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// changeStatuses cancels the newest delivered orders and refunds some of a
// year before, directly, as a back office would. It returns how many
// orders it changed.
func changeStatuses(c *checker.Check, ctx context.Context) int {
	tag, err := c.Admin().Exec(ctx, `
UPDATE orders SET status = 'cancelled'
WHERE id IN (SELECT id FROM orders WHERE status = 'delivered' ORDER BY created_at DESC, id LIMIT $1)`, cancelled)
	c.RequireNoError("cancel orders", err)
	n := tag.RowsAffected()
	tag, err = c.Admin().Exec(ctx, `
UPDATE orders SET status = 'refunded'
WHERE id IN (SELECT id FROM orders WHERE status = 'delivered'
             AND created_at < (SELECT max(created_at) FROM orders) - interval '1 year'
             ORDER BY created_at DESC, id LIMIT $1)`, refunded)
	c.RequireNoError("refund orders", err)
	return int(n + tag.RowsAffected())
}

// refreshProbe is what happened while Refresh ran.
type refreshProbe struct {
	refreshErr error
	returned   bool          // Refresh returned before it reached the orders
	stalled    bool          // Refresh waited for the orders, holding whatever it held
	noView     bool          // there is no sales_dashboard to read
	blocked    bool          // the reader gave up waiting for a lock
	readerErr  error         // the reader failed otherwise
	waited     time.Duration // how long the reader took
	blocker    blocker       // the lock that blocked the reader
}

// blocker is a lock the refresh holds on the view, and the statement the
// refresh is running.
type blocker struct{ mode, query string }

// refreshWhileReading runs Refresh while the check holds the orders table,
// so that the refresh stops half-way, holding the locks it took on the
// view, and reads the view meanwhile: a CONCURRENTLY refresh lets the
// reader through, a plain one makes it wait.
func refreshWhileReading(c *checker.Check, ctx context.Context, ex Exercise) refreshProbe {
	var p refreshProbe
	holder, err := c.Admin().Begin(ctx)
	c.RequireNoError("hold the orders table", err)
	defer func() { _ = holder.Rollback(context.WithoutCancel(ctx)) }()
	_, err = holder.Exec(ctx, `LOCK TABLE orders IN ACCESS EXCLUSIVE MODE`)
	c.RequireNoError("hold the orders table", err)

	done := make(chan error, 1)
	go func() { done <- ex.Refresh(ctx, c.Pool()) }()
	var refreshPID uint32
	deadline := time.Now().Add(stallWait)
	for !p.returned && !p.stalled && time.Now().Before(deadline) {
		select {
		case p.refreshErr = <-done:
			p.returned = true
			continue
		case <-time.After(10 * time.Millisecond):
		}
		err := c.Admin().QueryRow(ctx, `
SELECT pid FROM pg_locks
WHERE relation = 'orders'::regclass AND NOT granted AND pid <> pg_backend_pid()
LIMIT 1`).Scan(&refreshPID)
		switch {
		case err == nil:
			p.stalled = true
		case !errors.Is(err, pgx.ErrNoRows):
			c.RequireNoError("watch the refresh", err)
		}
	}

	var exists bool
	err = c.Admin().QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, viewName).Scan(&exists)
	c.RequireNoError("look for "+viewName, err)
	p.noView = !exists
	if exists {
		p.waited, p.blocked, p.readerErr = readView(c, ctx)
		if p.blocked {
			p.blocker = blockerOf(c, ctx, refreshPID)
		}
	}

	c.RequireNoError("release the orders table", holder.Commit(ctx))
	if !p.returned {
		select {
		case p.refreshErr = <-done:
		case <-ctx.Done():
			c.Require("Refresh returns", false, "Refresh did not return before the check's time ran out", checker.Evidence{})
		}
	}
	return p
}

// readView reads the view as a page view would, waiting at most
// readerLockWait for a lock.
func readView(c *checker.Check, ctx context.Context) (time.Duration, bool, error) {
	tx, err := c.Admin().Begin(ctx)
	c.RequireNoError("read "+viewName, err)
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	_, err = tx.Exec(ctx, fmt.Sprintf(`SET LOCAL lock_timeout = '%dms'`, readerLockWait.Milliseconds()))
	c.RequireNoError("read "+viewName, err)
	start := time.Now()
	var n int64
	err = tx.QueryRow(ctx, `SELECT count(*) FROM `+viewName).Scan(&n)
	waited := time.Since(start)
	if checker.IsLockTimeout(err) {
		return waited, true, nil
	}
	return waited, false, err
}

// blockerOf names the strongest lock the refresh holds on the view, and
// the statement it is running.
func blockerOf(c *checker.Check, ctx context.Context, pid uint32) blocker {
	var b blocker
	err := c.Admin().QueryRow(ctx, `
SELECT l.mode, coalesce(a.query, '') FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.relation = to_regclass($1) AND l.granted AND l.pid = $2
ORDER BY l.mode = 'AccessExclusiveLock' DESC, l.mode LIMIT 1`, viewName, pid).Scan(&b.mode, &b.query)
	if err != nil {
		return blocker{}
	}
	b.query = checker.OneLine(b.query)
	return b
}

// assertRefreshRuns: Refresh returned no error.
func assertRefreshRuns(c *checker.Check, p refreshProbe) {
	const name = "the refresh runs"
	err := p.refreshErr
	switch {
	case err == nil:
		c.Assert(name, true, "Refresh returned no error", checker.Evidence{})
	case checker.SQLState(err) == "55000" && strings.Contains(strings.ToLower(err.Error()), "concurrently"):
		c.Assert(name, false, fmt.Sprintf("Refresh failed: %v. REFRESH MATERIALIZED VIEW CONCURRENTLY matches the new rows with the old ones through a unique index on plain columns, with no WHERE: create one on the cell's key (CREATE UNIQUE INDEX ON %s (month, category)) when you create the view",
			err, viewName), checker.Evidence{})
	default:
		c.Assert(name, false, fmt.Sprintf("Refresh failed: %v", err), checker.Evidence{})
	}
}

// assertReadersNotBlocked: the check's reader of the view did not wait
// for the refresh.
func assertReadersNotBlocked(c *checker.Check, p refreshProbe) {
	const name = "readers not blocked by the refresh"
	ev := checker.Evidence{Counts: map[string]int64{"reader_ms": p.waited.Milliseconds(), "lock_wait_limit_ms": readerLockWait.Milliseconds()}}
	switch {
	case p.noView:
		c.Assert(name, false, fmt.Sprintf("there is no %s to read: Migrate must create the materialized view, and Dashboard read it", viewName), ev)
	case p.readerErr != nil:
		c.Assert(name, false, fmt.Sprintf("reading %s while Refresh ran failed: %v", viewName, p.readerErr), ev)
	case p.blocked:
		msg := fmt.Sprintf("while Refresh was recomputing the dashboard, a reader of %s waited %s for a lock and gave up", viewName, p.waited.Round(time.Millisecond))
		if p.blocker.mode != "" {
			msg += fmt.Sprintf(" (Refresh holds %s on the view, its statement: %s)", p.blocker.mode, p.blocker.query)
		}
		if strings.HasPrefix(strings.ToUpper(p.blocker.query), "REFRESH") {
			msg += fmt.Sprintf(". REFRESH MATERIALIZED VIEW without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the view for the whole recomputation: every page view waits for it, seconds on a big table. REFRESH MATERIALIZED VIEW CONCURRENTLY %s takes an EXCLUSIVE lock instead, which lets readers read the old rows meanwhile", viewName)
		} else {
			msg += fmt.Sprintf(". An earlier statement of the refresh took an ACCESS EXCLUSIVE lock on the view (a TRUNCATE, a DROP, an ALTER, a plain REFRESH), and a lock is held until its transaction ends, after the whole recomputation: every page view waits. REFRESH MATERIALIZED VIEW CONCURRENTLY %s, or a DELETE and INSERT in one transaction, lets readers read the old rows meanwhile", viewName)
		}
		c.Assert(name, false, msg, ev)
	case p.stalled:
		c.Assert(name, true, fmt.Sprintf("while Refresh was recomputing the dashboard (held up by the check on the orders table), a reader of %s got its rows in %s without waiting", viewName, p.waited.Round(time.Millisecond)), ev)
	default:
		c.Assert(name, true, fmt.Sprintf("Refresh did not read the orders, so it held nothing a reader would wait for; a reader of %s got its rows in %s", viewName, p.waited.Round(time.Millisecond)), ev)
	}
}

func formatCents(cents int64) string {
	return fmt.Sprintf("%s.%02d", checker.FormatCount(cents/100), cents%100)
}
