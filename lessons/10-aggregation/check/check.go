// Package check is lesson 10's check: it runs the learner's three report
// functions on a counting pool, compares every line with its own sums, and
// holds them to the rows and bytes of the result and to a window function
// for the running total. It lives in a package of its own, compiled once and
// cached, and the exercise's check_test.go hands it the learner's work: an
// edit then recompiles only the learner's file and that small shim.
package check

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

const (
	// reportMonths is the period the report is checked on: the last year of
	// the data, a hundred thousand orders and more.
	reportMonths = 12
	// Rows and bytes the learner's code may receive for a result of n
	// lines: twice its lines and a few (one extra query for a name, say),
	// and half a kilobyte per line on top of 16 KiB for the protocol. An
	// aggregate in SQL receives its lines and 2 to 4 KiB; pulling the orders
	// of the period receives over a hundred thousand rows and megabytes.
	rowsPerLine, rowsSlack   = 2, 4
	bytesPerLine, bytesSlack = 512, 16 << 10
)

// reportTable is where the check keeps, at its end, what the learner's
// functions returned, for the second witness to compare with its own sums.
const reportTable = "dblings_report"

// StatusMonth is the check's copy of the exercise's StatusMonth: one line of
// the table "orders by status".
type StatusMonth struct {
	Month        time.Time // the first instant of the month, UTC
	Status       string
	Orders       int64
	RevenueCents int64 // the sum of their amounts, whatever the status
}

// MonthTotal is the check's copy of the exercise's MonthTotal: one point of
// the revenue chart.
type MonthTotal struct {
	Month        time.Time
	RevenueCents int64
	RunningCents int64
}

// CategoryTop is the check's copy of the exercise's CategoryTop: the best
// seller of one category.
type CategoryTop struct {
	Category     string
	ProductID    int64
	Product      string
	RevenueCents int64
}

// Exercise is what the learner's package gives the check: its three report
// functions, their lines converted to the check's own types.
type Exercise struct {
	// RevenueByStatus is the learner's RevenueByStatus.
	RevenueByStatus func(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error)
	// RevenueRunningTotal is the learner's RevenueRunningTotal.
	RevenueRunningTotal func(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]MonthTotal, error)
	// TopProducts is the learner's TopProducts.
	TopProducts func(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]CategoryTop, error)
}

// Run is the check of lesson 10.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		"no more rows than the result":       3,
		"no more bytes than the result":      2,
		"running total by a window function": 2,
		"revenue by status is exact":         2,
		"running total is exact":             2,
		"top product of every category":      2,
	}))
	ctx := c.Ctx()
	pool, bytes := c.CountingPool()
	from, to := lastMonths(c, ctx, reportMonths)
	want := readTruth(c, ctx, from, to)

	byStatus := callLearner(c, pool, bytes, "RevenueByStatus", func(ctx context.Context) (int, error) {
		got, err := ex.RevenueByStatus(ctx, pool, from, to)
		want.gotStatus = got
		return len(got), err
	})
	running := callLearner(c, pool, bytes, "RevenueRunningTotal", func(ctx context.Context) (int, error) {
		got, err := ex.RevenueRunningTotal(ctx, pool, from, to)
		want.gotRunning = got
		return len(got), err
	})
	top := callLearner(c, pool, bytes, "TopProducts", func(ctx context.Context) (int, error) {
		got, err := ex.TopProducts(ctx, pool, from, to)
		want.gotTop = got
		return len(got), err
	})

	assertByStatus(c, byStatus, want)
	assertRunning(c, running, want)
	assertTop(c, top, want)
	calls := []*learnerCall{byStatus, running, top}
	assertRows(c, calls, want)
	assertBytes(c, calls, want)
	assertWindow(c, ctx, running)
	keepReport(c, ctx, want)
}

// lastMonths reads the end of the data and returns the last n whole months
// before it.
func lastMonths(c *checker.Check, ctx context.Context, n int) (from, to time.Time) {
	var last time.Time
	err := c.Admin().QueryRow(ctx, `SELECT date_trunc('month', max(created_at), 'UTC') FROM orders`).Scan(&last)
	c.RequireNoError("find the last month of orders", err)
	to = last.UTC().AddDate(0, 1, 0)
	return to.AddDate(0, -n, 0), to
}

// reportTruth is what the report must say, from the check's own queries, and
// what the learner's functions said.
type reportTruth struct {
	from, to      time.Time
	status        []StatusMonth
	running       []MonthTotal
	allStatuses   map[time.Time]int64 // each month's sum over every status
	top           []CategoryTop
	periodOrders  int64
	gotStatus     []StatusMonth
	gotRunning    []MonthTotal
	gotTop        []CategoryTop
	categoryNames []string
}

func readTruth(c *checker.Check, ctx context.Context, from, to time.Time) *reportTruth {
	w := &reportTruth{from: from, to: to, allStatuses: map[time.Time]int64{}}
	db := c.Admin()
	rows, err := db.Query(ctx, `
SELECT date_trunc('month', created_at, 'UTC') AS m, status, count(*), (sum(amount) * 100)::bigint
FROM orders WHERE created_at >= $1 AND created_at < $2
GROUP BY 1, 2 ORDER BY 1, 2`, from, to)
	c.RequireNoError("sum the orders by month and status", err)
	w.status, err = pgx.CollectRows(rows, pgx.RowToStructByPos[StatusMonth])
	c.RequireNoError("sum the orders by month and status", err)

	// The running total is added up here from monthly sums in calendar
	// order, independently of any window function.
	perMonth := map[time.Time]int64{}
	var months []time.Time
	for _, l := range w.status {
		m := l.Month.UTC()
		if _, seen := w.allStatuses[m]; !seen {
			months = append(months, m)
		}
		w.allStatuses[m] += l.RevenueCents
		if l.Status != "cancelled" && l.Status != "refunded" {
			perMonth[m] += l.RevenueCents
		}
		w.periodOrders += l.Orders
	}
	var run int64
	for _, m := range months {
		if rev, ok := perMonth[m]; ok {
			run += rev
			w.running = append(w.running, MonthTotal{Month: m, RevenueCents: rev, RunningCents: run})
		}
	}

	rows, err = db.Query(ctx, `
WITH per_product AS (
    SELECT p.category_id, p.id, p.name, (sum(o.amount) * 100)::bigint AS revenue
    FROM orders o JOIN products p ON p.id = o.product_id
    WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'refunded')
    GROUP BY p.category_id, p.id
), ranked AS (
    SELECT c.name AS category, pp.id, pp.name, pp.revenue,
           row_number() OVER (PARTITION BY c.id ORDER BY pp.revenue DESC, pp.id) AS rank
    FROM per_product pp JOIN categories c ON c.id = pp.category_id
)
SELECT category, id, name, revenue FROM ranked WHERE rank = 1 ORDER BY category`, from, to)
	c.RequireNoError("find the best seller of each category", err)
	w.top, err = pgx.CollectRows(rows, pgx.RowToStructByPos[CategoryTop])
	c.RequireNoError("find the best seller of each category", err)
	for _, t := range w.top {
		w.categoryNames = append(w.categoryNames, t.Category)
	}
	return w
}

// learnerCall is what one call of the learner's code received and sent.
type learnerCall struct {
	name       string
	lines      int // what it returned
	rows       int64
	bytes      int64
	statements []checker.Query
	err        error
}

// callLearner runs one of the learner's functions on the counting pool and
// measures what crossed the network.
func callLearner(c *checker.Check, pool *pgxpool.Pool, bytes *checker.ByteCounter, name string, fn func(context.Context) (int, error)) *learnerCall {
	// A connection is opened and released first, so that connecting is not
	// counted against the call.
	if conn, err := pool.Acquire(c.Ctx()); err == nil {
		conn.Release()
	}
	c.QueryLog().Reset()
	bytes.Reset()
	lc := &learnerCall{name: name}
	lc.lines, lc.err = fn(c.Ctx())
	lc.rows = c.QueryLog().RowsReceived()
	lc.bytes = bytes.Received()
	lc.statements = c.QueryLog().Queries(checker.NotTxControl)
	return lc
}

func (lc *learnerCall) failed(c *checker.Check, assertion string) bool {
	if lc.err == nil {
		return false
	}
	c.Assert(assertion, false, fmt.Sprintf("%s failed: %v", lc.name, lc.err), checker.Evidence{Queries: checker.Statements(lc.statements)})
	return true
}

// assertByStatus compares the table of orders by status, line by line.
func assertByStatus(c *checker.Check, lc *learnerCall, w *reportTruth) {
	const name = "revenue by status is exact"
	if lc.failed(c, name) {
		return
	}
	got, want := w.gotStatus, w.status
	key := func(l StatusMonth) string { return monthName(l.Month) + " " + l.Status }
	ev := checker.Evidence{Counts: map[string]int64{"lines": int64(len(got)), "expected_lines": int64(len(want))}}
	wantBy := map[string]StatusMonth{}
	for _, l := range want {
		wantBy[key(l)] = l
	}
	gotBy := map[string]StatusMonth{}
	var problems []string
	var offCents []string
	for _, l := range got {
		k := key(l)
		if _, dup := gotBy[k]; dup {
			problems = append(problems, fmt.Sprintf("%s appears twice", k))
			continue
		}
		gotBy[k] = l
		exp, ok := wantBy[k]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s had no orders, but a line says %s", k, orderCount(l.Orders)))
		case l.Orders != exp.Orders:
			problems = append(problems, fmt.Sprintf("%s had %s, not %s", k, orderCount(exp.Orders), checker.FormatCount(l.Orders)))
		case l.RevenueCents != exp.RevenueCents:
			offCents = append(offCents, fmt.Sprintf("%s came to %s cents (%s), not %s", k,
				checker.FormatCount(exp.RevenueCents), formatMoney(exp.RevenueCents), checker.FormatCount(l.RevenueCents)))
		}
	}
	for _, l := range want {
		if _, ok := gotBy[key(l)]; !ok {
			problems = append(problems, fmt.Sprintf("%s is missing (%s)", key(l), orderCount(l.Orders)))
		}
	}
	switch {
	case len(problems) > 0:
		c.Assert(name, false, fmt.Sprintf("%d of the %d lines are wrong or missing: %s", len(problems), len(want), firstFew(problems)), ev)
	case len(offCents) > 0:
		c.Assert(name, false, centsMessage("RevenueByStatus", offCents, len(want)), ev)
	case !slices.EqualFunc(got, want, func(a, b StatusMonth) bool { return key(a) == key(b) }):
		c.Assert(name, false, fmt.Sprintf("every line is right, but not in order: expected month by month, each month's statuses in alphabetical order (the first line %s, the second %s); ORDER BY month, status",
			key(want[0]), key(want[min(1, len(want)-1)])), ev)
	default:
		c.Assert(name, true, fmt.Sprintf("%d lines, one per month and status, every count and every cent right", len(want)), ev)
	}
}

// assertRunning compares the revenue chart, month by month.
func assertRunning(c *checker.Check, lc *learnerCall, w *reportTruth) {
	const name = "running total is exact"
	if lc.failed(c, name) {
		return
	}
	got, want := w.gotRunning, w.running
	ev := checker.Evidence{Counts: map[string]int64{"lines": int64(len(got)), "expected_lines": int64(len(want))}}
	if len(got) != len(want) {
		c.Assert(name, false, fmt.Sprintf("RevenueRunningTotal returned %d months; the period %s to %s has %d months with revenue",
			len(got), monthName(w.from), monthName(w.to.AddDate(0, -1, 0)), len(want)), ev)
		return
	}
	wantBy := map[string]MonthTotal{}
	for _, m := range want {
		wantBy[monthName(m.Month)] = m
	}
	var missing, revenue, allStatus, offCents []string
	for _, g := range got {
		k := monthName(g.Month)
		exp, ok := wantBy[k]
		switch {
		case !ok:
			missing = append(missing, k)
		case g.RevenueCents == w.allStatuses[exp.Month] && g.RevenueCents != exp.RevenueCents:
			allStatus = append(allStatus, k)
		case absDiff(g.RevenueCents, exp.RevenueCents) > 0 && absDiff(g.RevenueCents, exp.RevenueCents) <= 100:
			offCents = append(offCents, fmt.Sprintf("%s earned %s cents (%s), not %s", k,
				checker.FormatCount(exp.RevenueCents), formatMoney(exp.RevenueCents), checker.FormatCount(g.RevenueCents)))
		case g.RevenueCents != exp.RevenueCents:
			revenue = append(revenue, fmt.Sprintf("%s earned %s, not %s", k, formatMoney(exp.RevenueCents), formatMoney(g.RevenueCents)))
		}
	}
	switch {
	case len(missing) > 0:
		c.Assert(name, false, fmt.Sprintf("months outside the period or not months at all: %s; expected the first instant of each month in UTC, from %s to %s",
			firstFew(missing), monthName(w.from), monthName(w.to.AddDate(0, -1, 0))), ev)
		return
	case len(allStatus) > 0:
		c.Assert(name, false, fmt.Sprintf("the revenue of %s (%s) counts every order, cancelled and refunded ones too; revenue leaves them out (status NOT IN ('cancelled', 'refunded'))",
			plural(int64(len(allStatus)), "month"), firstFew(allStatus)), ev)
		return
	case len(offCents) > 0:
		c.Assert(name, false, centsMessage("RevenueRunningTotal", offCents, len(want)), ev)
		return
	case len(revenue) > 0:
		c.Assert(name, false, fmt.Sprintf("wrong monthly revenue: %s", firstFew(revenue)), ev)
		return
	}
	// Every month earned the right revenue: what is left is the order of
	// the lines and the running total.
	for i, g := range got {
		if monthName(g.Month) != monthName(want[i].Month) {
			c.Assert(name, false, fmt.Sprintf("the months are right but not in calendar order: line %d is %s, expected %s; ORDER BY month",
				i+1, monthName(g.Month), monthName(want[i].Month)), ev)
			return
		}
	}
	for i, g := range got {
		if g.RunningCents != want[i].RunningCents {
			msg := fmt.Sprintf("every month's revenue is right, but the running total is not: at %s it should be %s (the sum of every month from %s to %s), not %s",
				monthName(g.Month), formatMoney(want[i].RunningCents), monthName(w.from), monthName(g.Month), formatMoney(g.RunningCents))
			if order := addedInOrder(got); order != "" {
				msg += fmt.Sprintf(". The totals were added up in the order %s: the order the rows came from the database, which is not the calendar's. A GROUP BY hands its groups back in whatever order its hash table left them, unless the query says ORDER BY. Let the database add them up in calendar order: sum(...) OVER (ORDER BY month)", order)
			}
			c.Assert(name, false, msg, ev)
			return
		}
	}
	c.Assert(name, true, fmt.Sprintf("%d months, each with its revenue and the running total from %s, every cent right", len(want), monthName(w.from)), ev)
}

// addedInOrder looks for the order in which the learner's running totals
// were added up: by increasing running total, each line's total minus its
// revenue is the line before's total. It returns that order of months when
// it is not the calendar's, else "".
func addedInOrder(lines []MonthTotal) string {
	byTotal := slices.Clone(lines)
	slices.SortFunc(byTotal, func(a, b MonthTotal) int { return cmp.Compare(a.RunningCents, b.RunningCents) })
	var before int64
	var order []string
	calendar := true
	for i, l := range byTotal {
		if l.RunningCents-l.RevenueCents != before {
			return ""
		}
		before = l.RunningCents
		order = append(order, monthName(l.Month))
		if i > 0 && l.Month.Before(byTotal[i-1].Month) {
			calendar = false
		}
	}
	if calendar {
		return ""
	}
	return strings.Join(order, ", ")
}

// assertTop compares the best sellers, category by category.
func assertTop(c *checker.Check, lc *learnerCall, w *reportTruth) {
	const name = "top product of every category"
	if lc.failed(c, name) {
		return
	}
	got, want := w.gotTop, w.top
	ev := checker.Evidence{Counts: map[string]int64{"lines": int64(len(got)), "categories": int64(len(want))}}
	wantBy := map[string]CategoryTop{}
	for _, t := range want {
		wantBy[t.Category] = t
	}
	perCategory := map[string]int{}
	for _, g := range got {
		perCategory[g.Category]++
	}
	var missing, repeated []string
	for _, t := range want {
		if perCategory[t.Category] == 0 {
			missing = append(missing, t.Category)
		}
	}
	for _, cat := range w.categoryNames {
		if perCategory[cat] > 1 {
			repeated = append(repeated, fmt.Sprintf("%s %d times", cat, perCategory[cat]))
		}
	}
	if len(missing) > 0 || len(repeated) > 0 {
		msg := fmt.Sprintf("%d lines for %d categories", len(got), len(want))
		if len(missing) > 0 {
			msg += fmt.Sprintf(": %d categories have no line (%s)", len(missing), firstFew(missing))
		}
		if len(repeated) > 0 {
			msg += fmt.Sprintf(", and %s", strings.Join(repeated, ", "))
		}
		msg += ". A LIMIT over the whole result keeps the best products of the whole shop, and those crowd into the categories that sell dear. Keep the best product per category: DISTINCT ON (category) … ORDER BY category, revenue DESC, or row_number() OVER (PARTITION BY category ORDER BY revenue DESC) = 1"
		c.Assert(name, false, msg, ev)
		return
	}
	var wrong, offCents []string
	for _, g := range got {
		exp, ok := wantBy[g.Category]
		switch {
		case !ok:
			wrong = append(wrong, fmt.Sprintf("%q is not a category that sold anything", g.Category))
		case g.ProductID != exp.ProductID && g.RevenueCents == exp.RevenueCents:
			wrong = append(wrong, fmt.Sprintf("products %d and %d of %s tie at %s: on a tie the lower product id is the best seller",
				exp.ProductID, g.ProductID, g.Category, formatMoney(exp.RevenueCents)))
		case g.ProductID != exp.ProductID:
			wrong = append(wrong, fmt.Sprintf("the best seller of %s is product %d (%s, %s), not product %d (%s)",
				g.Category, exp.ProductID, exp.Product, formatMoney(exp.RevenueCents), g.ProductID, formatMoney(g.RevenueCents)))
		case g.Product != exp.Product:
			wrong = append(wrong, fmt.Sprintf("product %d is called %q, not %q", g.ProductID, exp.Product, g.Product))
		case g.RevenueCents != exp.RevenueCents && absDiff(g.RevenueCents, exp.RevenueCents) <= 100:
			offCents = append(offCents, fmt.Sprintf("product %d earned %s cents (%s), not %s", g.ProductID,
				checker.FormatCount(exp.RevenueCents), formatMoney(exp.RevenueCents), checker.FormatCount(g.RevenueCents)))
		case g.RevenueCents != exp.RevenueCents:
			wrong = append(wrong, fmt.Sprintf("product %d earned %s, not %s", g.ProductID, formatMoney(exp.RevenueCents), formatMoney(g.RevenueCents)))
		}
	}
	switch {
	case len(wrong) > 0:
		c.Assert(name, false, firstFew(wrong), ev)
	case len(offCents) > 0:
		c.Assert(name, false, centsMessage("TopProducts", offCents, len(want)), ev)
	case !slices.EqualFunc(got, want, func(a, b CategoryTop) bool { return a.Category == b.Category }):
		c.Assert(name, false, fmt.Sprintf("every best seller is right, but the lines are not in order of category name (expected %s first); ORDER BY the category's name",
			want[0].Category), ev)
	default:
		c.Assert(name, true, fmt.Sprintf("the best seller of each of the %d categories, with its exact revenue", len(want)), ev)
	}
}

// centsMessage explains totals a few cents off: floating point.
func centsMessage(fn string, off []string, lines int) string {
	return fmt.Sprintf("%s is a few cents off on %d of %d lines: %s. A float64 cannot hold most amounts exactly (0.1 + 0.2 is not 0.3 in binary), its sums drift, and int64(f*100) cuts off what is left below the cent. Sum the numeric amounts in the database, exact, and bring back cents: (sum(amount) * 100)::bigint",
		fn, len(off), lines, firstFew(off))
}

// assertRows: each function received about as many rows as it returned.
func assertRows(c *checker.Check, calls []*learnerCall, w *reportTruth) {
	const name = "no more rows than the result"
	ev := checker.Evidence{Counts: map[string]int64{"orders_in_period": w.periodOrders}}
	var over, fine []string
	var worst *learnerCall
	for _, lc := range calls {
		ev.Counts[lc.name+"_rows_received"] = lc.rows
		ev.Counts[lc.name+"_lines_returned"] = int64(lc.lines)
		if lc.err != nil {
			continue
		}
		line := fmt.Sprintf("%s %s rows for %d lines", lc.name, checker.FormatCount(lc.rows), lc.lines)
		if lc.rows <= allowedRows(lc.lines) {
			fine = append(fine, line)
			continue
		}
		over = append(over, line)
		if worst == nil || lc.rows > worst.rows {
			worst = lc
		}
	}
	if worst == nil {
		c.Assert(name, len(fine) > 0, "the database sent back only the result: "+strings.Join(fine, ", "), ev)
		return
	}
	ev.Queries = checker.Statements(worst.statements)
	msg := fmt.Sprintf("received from the database: %s (at most twice the lines and %d would do)", strings.Join(over, ", "), rowsSlack)
	if worst.rows*2 >= w.periodOrders {
		msg += fmt.Sprintf(". The %s orders of the period travelled to be added up in Go. The database is where the rows are: GROUP BY sends back one row per group, a window function adds up the groups in order, DISTINCT ON keeps one row per category",
			checker.FormatCount(w.periodOrders))
	} else {
		msg += ". The sums were made in the database, but more of them came back than the answer has lines: the last step (picking the best product of each category, adding up the months) was done in Go. Let the query keep only the rows of the answer: DISTINCT ON (category) or row_number() OVER (PARTITION BY category ...) = 1"
	}
	c.Assert(name, false, msg, ev)
}

func allowedRows(lines int) int64 { return int64(rowsPerLine*lines + rowsSlack) }

// assertBytes: what came back is about the size of the result, however
// it was packed into rows.
func assertBytes(c *checker.Check, calls []*learnerCall, w *reportTruth) {
	ev := checker.Evidence{Counts: map[string]int64{}}
	var worst *learnerCall
	for _, lc := range calls {
		ev.Counts[lc.name+"_bytes_received"] = lc.bytes
		if lc.err == nil && lc.bytes > allowedBytes(lc.lines) && (worst == nil || lc.bytes > worst.bytes) {
			worst = lc
		}
	}
	if worst == nil {
		var parts []string
		for _, lc := range calls {
			if lc.err == nil {
				parts = append(parts, fmt.Sprintf("%s %s", lc.name, formatSize(lc.bytes)))
			}
		}
		c.Assert("no more bytes than the result", len(parts) > 0, "only the result crossed the network: "+strings.Join(parts, ", "), ev)
		return
	}
	ev.Queries = checker.Statements(worst.statements)
	msg := fmt.Sprintf("%s received %s from the database to return %d lines (at most %s would do)",
		worst.name, formatSize(worst.bytes), worst.lines, formatSize(allowedBytes(worst.lines)))
	switch {
	case worst.rows <= allowedRows(worst.lines):
		msg += fmt.Sprintf(", in only %s: the orders were packed into a few wide rows (an array, JSON) and added up in Go. Fewer rows is not the point; less data is. Do the sums in the query",
			plural(worst.rows, "row"))
	case worst.rows*2 >= w.periodOrders:
		msg += ": the orders themselves crossed the network. Do the sums in the query, and only the totals come back"
	default:
		msg += fmt.Sprintf(": %s rows, when the answer has %d lines. Let the query keep only the rows of the answer", checker.FormatCount(worst.rows), worst.lines)
	}
	c.Assert("no more bytes than the result", false, msg, ev)
}

func allowedBytes(lines int) int64 { return int64(bytesPerLine*lines + bytesSlack) }

// assertWindow plans the statements of the running total: a window
// function must do the adding up, and no statement may read orders twice.
func assertWindow(c *checker.Check, ctx context.Context, lc *learnerCall) {
	const name = "running total by a window function"
	if lc.failed(c, name) {
		return
	}
	ev := checker.Evidence{Queries: checker.Statements(lc.statements)}
	var window, joins bool
	mostScans := 0
	for _, q := range lc.statements {
		if !isQuery(q.SQL) {
			continue
		}
		plan, err := planOf(ctx, c.Admin(), q)
		if err != nil {
			c.Assert(name, false, fmt.Sprintf("the check could not plan a query of RevenueRunningTotal to see how it adds up (%v); send it as one plain SQL statement with its arguments", err), ev)
			return
		}
		scans := 0
		plan.Walk(func(n *checker.PlanNode, _ int) {
			switch {
			case n.Is("WindowAgg"):
				window = true
			case n.RelationName == "orders" && strings.HasSuffix(n.NodeType, "Scan"):
				scans++
			case n.JoinType != "" || n.ParentRelationship == "SubPlan":
				joins = true
			}
		})
		if ev.Plan == nil || scans > mostScans {
			ev.Plan = plan
		}
		mostScans = max(mostScans, scans)
	}
	ev.Counts = map[string]int64{"statements": int64(len(lc.statements)), "most_scans_of_orders": int64(mostScans)}
	switch {
	case len(lc.statements) == 0:
		c.Assert(name, false, "RevenueRunningTotal sent no query: only the database has the orders", ev)
	case mostScans > 1:
		c.Assert(name, false, fmt.Sprintf("one statement of RevenueRunningTotal reads orders %d times: a self-join (or a subquery per month) adds every earlier month again for each month, work that grows with the square of the months. A window function adds them up in one pass: sum(...) OVER (ORDER BY month)", mostScans), ev)
	case !window && joins:
		c.Assert(name, false, "the running total comes from a self-join: the monthly totals are joined with themselves (or summed again in a subquery) so that each month re-adds every month before it, work that grows with the square of the months. A window function adds them up in one pass, in order: sum(revenue) OVER (ORDER BY month)", ev)
	case !window:
		c.Assert(name, false, "the plans of RevenueRunningTotal's queries have no WindowAgg: the running total was added up in Go. Let the database do it where it already has the months in order: sum(revenue) OVER (ORDER BY month)", ev)
	default:
		c.Assert(name, true, "a WindowAgg adds up the months in order, and orders is read once", ev)
	}
}

// isQuery says whether a statement returns rows that EXPLAIN can plan.
func isQuery(sql string) bool {
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimLeft(sql, " \t\n(")), " ")
	first = strings.TrimSpace(first)
	return first == "select" || first == "with" || first == "table" || first == "values"
}

// planOf plans a statement the learner's code sent, with its arguments,
// without running it: the node types are what matters here.
func planOf(ctx context.Context, db checker.Querier, q checker.Query) (*checker.Plan, error) {
	var raw []byte
	if err := db.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q.SQL, q.Args...).Scan(&raw); err != nil {
		return nil, err
	}
	return checker.ParsePlan(raw)
}

// keepReport stores what the learner's functions returned, for the second
// witness to compare with the sums it makes itself.
func keepReport(c *checker.Check, ctx context.Context, w *reportTruth) {
	doc, err := json.Marshal(map[string]any{
		"from": w.from, "to": w.to, "by_status": w.gotStatus, "running": w.gotRunning, "top": w.gotTop,
	})
	c.RequireNoError("keep the report for the second witness", err)
	_, err = c.Admin().Exec(ctx, `CREATE TABLE `+reportTable+` (report jsonb NOT NULL)`)
	c.RequireNoError("keep the report for the second witness", err)
	_, err = c.Admin().Exec(ctx, `INSERT INTO `+reportTable+` VALUES ($1)`, doc)
	c.RequireNoError("keep the report for the second witness", err)
}

func monthName(t time.Time) string { return t.UTC().Format("Jan 2006") }

func formatMoney(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%s.%02d", sign, checker.FormatCount(cents/100), cents%100)
}

func orderCount(n int64) string { return plural(n, "order") }

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return checker.FormatCount(n) + " " + noun + "s"
}

func formatSize(b int64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", b)
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}

// firstFew joins the first three items and says how many more there are.
func firstFew(items []string) string {
	if len(items) <= 3 {
		return strings.Join(items, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(items[:3], "; "), len(items)-3)
}
