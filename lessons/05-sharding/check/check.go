// Package check is lesson 5's check: it saves a shop through the learner's
// ShardFor and Save, in two processes, and proves that every customer lives
// on one shard with their orders, that the shards are evenly loaded, that a
// customer's read asks one shard and that the report asks them all at once
// and merges their answers. It lives in a package of its own, compiled once
// and cached, and the exercise's check_test.go hands it the learner's work:
// an edit then recompiles only the learner's file and that short shim.
package check

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/fixtures"
)

const (
	// spread is how far a shard may stray from the mean number of
	// customers: an even hash lands within a few percent.
	spread = 0.20
	// The ids of the customers who will sign up next, for the spread of
	// the future.
	nextFirstID, nextLastID = fixtures.ShopCustomersCount + 1, 10 * fixtures.ShopCustomersCount
	// unknownCustomer has no rows anywhere.
	unknownCustomer = 1_000_000
	// topN is the length of the report.
	topN = 10
	// shardPause is added to every query of the orders table during the
	// report, so that each shard takes a known time: asked all at once the
	// three take about one pause, asked in turn about three.
	shardPause = 150 * time.Millisecond
	// maxWallShare bounds the report's time as a share of the time the
	// shards spent answering: about 1/3 at once, 1 in turn.
	maxWallShare = 0.6
)

// Customer, Order and CustomerTotal are the check's copies of the
// exercise's types, field for field.

// Customer is one customer of the shop.
type Customer struct {
	ID     int64
	Name   string
	Region string
}

// Order is one order, placed by one customer.
type Order struct {
	ID          int64
	CustomerID  int64
	AmountCents int64
	CreatedAt   time.Time
}

// CustomerTotal is one line of the top-customers report.
type CustomerTotal struct {
	CustomerID int64
	Name       string
	Orders     int64
	TotalCents int64
}

// Exercise is what the learner's package gives the check, its types
// converted to the check's.
type Exercise struct {
	// ShardFor is the learner's ShardFor.
	ShardFor func(customerID int64, shards int) int
	// Save is the exercise's Save, which routes through ShardFor.
	Save func(ctx context.Context, shards []*pgxpool.Pool, customers []Customer, orders []Order) error
	// CustomerOrders is the learner's CustomerOrders.
	CustomerOrders func(ctx context.Context, shards []*pgxpool.Pool, customerID int64) ([]Order, error)
	// TopCustomers is the learner's TopCustomers.
	TopCustomers func(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error)
}

// Run is the check of lesson 5.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t)
	n := len(c.Shards())
	requireShardRange(c, ex, n)
	customers, orders := shopData(c.Seed())
	orders = append(orders, tieOrder(ex, customers, orders, n)...)
	elsewhere := saveCustomersElsewhere(c, customers)
	c.RequireNoError("save the orders through your ShardFor", ex.Save(c.Ctx(), c.Shards(), nil, orders))

	p := readPlacement(c)
	assertSameRoutingEverywhere(c, ex, customers, elsewhere)
	assertOneShardEach(c, ex, p, customers, orders)
	assertEvenSpread(c, p)
	assertNextCustomersSpread(c, ex, n)
	assertSingleShardReads(c, ex, p, orders)
	assertScatterGather(c, ex, customers, orders)
}

// shopData is the fixture's shop in the exercise's types, of the run's
// seed: grade feeds the learner's code customers and orders it has not seen.
func shopData(seed uint64) ([]Customer, []Order) {
	var customers []Customer
	for _, fc := range fixtures.ShopCustomers(0, seed) {
		customers = append(customers, Customer{ID: fc.ID, Name: fc.Name, Region: fc.Region})
	}
	var orders []Order
	for _, fo := range fixtures.ShopOrders(0, seed) {
		orders = append(orders, Order{ID: fo.ID, CustomerID: fo.CustomerID, AmountCents: fo.AmountCents, CreatedAt: fo.CreatedAt})
	}
	return customers, orders
}

// tieOrder is an order of the check's own that ties two customers of the
// top topN who live on different shards: the one with the lower id on the
// later shard. Ties go to the lower id; a merge that keeps the order in
// which the shards' lists were put together puts the other one first. The
// order raises the lower total to the higher, so the top topN keeps its
// customers; only when no such pair is in it does a customer from below
// join it. No order when every customer is on one shard: there is no tie
// across shards to make, and the spread assertion says why.
func tieOrder(ex Exercise, customers []Customer, orders []Order, shards int) []Order {
	ranked := reference(customers, orders, len(customers))
	for j := 1; j < len(ranked); j++ {
		for i := range min(j, topN) {
			lo, hi := ranked[i].CustomerID, ranked[j].CustomerID
			if ex.ShardFor(min(lo, hi), shards) <= ex.ShardFor(max(lo, hi), shards) {
				continue
			}
			last := orders[len(orders)-1]
			return []Order{{ID: last.ID + 1, CustomerID: ranked[j].CustomerID,
				AmountCents: ranked[i].TotalCents - ranked[j].TotalCents, CreatedAt: last.CreatedAt.Add(time.Second)}}
		}
	}
	return nil
}

// requireShardRange stops at once when ShardFor names a shard that does
// not exist or changes its mind: nothing else can be judged then.
func requireShardRange(c *checker.Check, ex Exercise, shards int) {
	ids := []int64{1, 2, 3, 4, 5, 1_000, 65_537, 1 << 31, 1 << 40, math.MaxInt64}
	for id := range int64(1_000) {
		ids = append(ids, id+6)
	}
	for _, n := range []int{shards, 2, 4, 7, 1} {
		for _, id := range ids {
			if msg := rangeProblem(ex, id, n); msg != "" {
				c.Require("ShardFor names a shard", false, msg, checker.Evidence{})
			}
		}
	}
	c.Require("ShardFor names a shard", true, "ShardFor always returned the same shard, from 0 to shards-1, for every id and number of shards tried", checker.Evidence{})
}

func rangeProblem(ex Exercise, id int64, n int) string {
	first, again := ex.ShardFor(id, n), ex.ShardFor(id, n)
	switch {
	case first < 0:
		return fmt.Sprintf("ShardFor(%d, %d) = %d; expected a shard from 0 to %d. Go's %% keeps the sign of a negative number: take the remainder of an unsigned hash",
			id, n, first, n-1)
	case first >= n:
		return fmt.Sprintf("ShardFor(%d, %d) = %d; expected a shard from 0 to %d: use the number of shards you are given, not a number of your own",
			id, n, first, n-1)
	case first != again:
		return fmt.Sprintf("ShardFor(%d, %d) gave %d, then %d: a customer's shard must depend on the id alone, or nobody finds their rows again",
			id, n, first, again)
	}
	return ""
}

// placement is where the rows ended up, read from every shard.
type placement struct {
	homes     map[int64][]int // customer id → the shards holding the customer row
	orderAt   map[int64][]int // order id → the shards holding it
	customers []int           // customer rows per shard
	orders    []int           // order rows per shard
}

func readPlacement(c *checker.Check) *placement {
	p := &placement{homes: map[int64][]int{}, orderAt: map[int64][]int{}}
	for i, db := range c.AdminShards() {
		ids := readIDs(c, db, `SELECT id FROM customers`)
		for _, id := range ids {
			p.homes[id] = append(p.homes[id], i)
		}
		orderIDs := readIDs(c, db, `SELECT id FROM orders`)
		for _, id := range orderIDs {
			p.orderAt[id] = append(p.orderAt[id], i)
		}
		p.customers = append(p.customers, len(ids))
		p.orders = append(p.orders, len(orderIDs))
	}
	return p
}

func readIDs(c *checker.Check, db checker.Querier, sql string) []int64 {
	rows, err := db.Query(c.Ctx(), sql)
	c.RequireNoError("read where the rows are", err)
	var ids []int64
	for rows.Next() {
		var id int64
		c.RequireNoError("read where the rows are", rows.Scan(&id))
		ids = append(ids, id)
	}
	c.RequireNoError("read where the rows are", rows.Err())
	return ids
}

// assertOneShardEach requires every customer on exactly one shard, the one
// ShardFor names, with every one of their orders beside them.
func assertOneShardEach(c *checker.Check, ex Exercise, p *placement, customers []Customer, orders []Order) {
	n := len(c.Shards())
	var problems []string
	for _, cu := range customers {
		if msg := homeProblem(ex, cu.ID, p.homes[cu.ID], n); msg != "" {
			problems = append(problems, msg)
		}
	}
	strayOrders := 0
	for _, o := range orders {
		home, want := p.orderAt[o.ID], ex.ShardFor(o.CustomerID, n)
		if len(home) != 1 || home[0] != want {
			strayOrders++
			problems = append(problems, fmt.Sprintf("order %d of customer %d is on %s, but the customer lives on shard %d",
				o.ID, o.CustomerID, shardList(home), want))
		}
	}
	msg := fmt.Sprintf("each of the %s customers is on exactly one shard, the one ShardFor names, with all of their %s orders",
		count(len(customers)), count(len(orders)))
	if len(problems) > 0 {
		msg = fmt.Sprintf("%s rows are not where they belong: %s", count(len(problems)), strings.Join(first(problems, 2), "; "))
	}
	if strayOrders > 0 {
		msg += ". A customer's orders must live with the customer, routed by the customer's id; scattered, every question about one customer needs every shard"
	}
	c.Assert("each customer on one shard, with their orders", len(problems) == 0, msg,
		checker.Evidence{Counts: shardCounts(p)})
}

func homeProblem(ex Exercise, id int64, homes []int, n int) string {
	want := ex.ShardFor(id, n)
	switch {
	case len(homes) == 0:
		return fmt.Sprintf("customer %d is on no shard", id)
	case len(homes) > 1:
		return fmt.Sprintf("customer %d is on %s: one customer, one shard", id, shardList(homes))
	case homes[0] != want:
		return fmt.Sprintf("customer %d is on shard %d, but ShardFor(%d, %d) says %d: reads routed by ShardFor would look in the wrong place",
			id, homes[0], id, n, want)
	}
	return ""
}

func assertEvenSpread(c *checker.Check, p *placement) {
	ok, detail := even(p.customers)
	msg := fmt.Sprintf("customers per shard: %s (orders: %s), each within %.0f%% of the mean", counts(p.customers), counts(p.orders), spread*100)
	if !ok {
		msg = fmt.Sprintf("customers per shard: %s (orders: %s); %s. The busiest shard does the work of several while the others idle",
			counts(p.customers), counts(p.orders), detail)
		if oneShard(p.customers) {
			msg += "; every customer is on the same shard: does ShardFor really use the id?"
		}
	}
	c.Assert("customers spread evenly", ok, msg, checker.Evidence{Counts: shardCounts(p)})
}

// assertNextCustomersSpread asks ShardFor about the customers who have not
// signed up yet: fixed ranges of ids look even today and send every
// newcomer to the last shard.
func assertNextCustomersSpread(c *checker.Check, ex Exercise, shards int) {
	per := make([]int, shards)
	for id := int64(nextFirstID); id <= nextLastID; id++ {
		per[ex.ShardFor(id, shards)]++
	}
	ok, detail := even(per)
	what := fmt.Sprintf("the next %s customers to sign up (ids %s to %s) would go %s to the shards",
		count(nextLastID-nextFirstID+1), count(nextFirstID), count(nextLastID), counts(per))
	msg := what + ", evenly too"
	switch {
	case !ok && oneShard(per) && per[shards-1] > 0:
		msg = fmt.Sprintf("%s; %s. Fixed ranges of ids look even today, but every customer who signs up from now on lands on the last shard; derive the shard from the id alone, by a remainder or a hash", what, detail)
	case !ok:
		msg = fmt.Sprintf("%s; %s. Derive the shard from the id alone, by a remainder or a hash, so that new customers spread as evenly as today's", what, detail)
	}
	c.Assert("new customers spread evenly too", ok, msg, checker.Evidence{Details: map[string]any{"per_shard": per}})
}

// even says whether every count is within spread of the mean, and if not,
// which one strays most.
func even(per []int) (bool, string) {
	total := 0
	for _, n := range per {
		total += n
	}
	mean := float64(total) / float64(len(per))
	worst, off := 0, 0.0
	for i, n := range per {
		if d := math.Abs(float64(n)-mean) / mean; d > off {
			worst, off = i, d
		}
	}
	if off <= spread {
		return true, ""
	}
	return false, fmt.Sprintf("shard %d holds %s, %+.0f%% from the mean of %s; expected every shard within %.0f%%",
		worst, count(per[worst]), 100*(float64(per[worst])-mean)/mean, count(int(math.Round(mean))), spread*100)
}

func oneShard(per []int) bool {
	busy := 0
	for _, n := range per {
		if n > 0 {
			busy++
		}
	}
	return busy == 1
}

// probe is a single-customer read the check makes, and the shard that
// must answer it.
type probe struct {
	customer int64
	home     int
}

// probes picks the first three customers of every shard, and one customer
// who does not exist (whose shard is ShardFor's).
func probes(ex Exercise, p *placement, shards int) []probe {
	var out []probe
	for s := range shards {
		var ids []int64
		for id, homes := range p.homes {
			if len(homes) == 1 && homes[0] == s {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids[:min(3, len(ids))] {
			out = append(out, probe{id, s})
		}
	}
	return append(out, probe{unknownCustomer, ex.ShardFor(unknownCustomer, shards)})
}

func assertSingleShardReads(c *checker.Check, ex Exercise, p *placement, orders []Order) {
	var routing, content []string
	for _, pr := range probes(ex, p, len(c.Shards())) {
		resetShardLogs(c)
		got, err := ex.CustomerOrders(c.Ctx(), c.Shards(), pr.customer)
		c.RequireNoError(fmt.Sprintf("read the orders of customer %d", pr.customer), err)
		if msg := routingProblem(pr, touched(c)); msg != "" {
			routing = append(routing, msg)
		}
		if msg := contentProblem(pr.customer, got, orders); msg != "" {
			content = append(content, msg)
		}
	}
	msg := "every customer's orders came from their own shard alone, the others untouched"
	if len(routing) > 0 {
		msg = routing[0] + ". A read that knows the shard key goes to one server; asking all of them makes every server do the work of every read"
	}
	c.Assert("one customer, one shard asked", len(routing) == 0, msg, checker.Evidence{Details: map[string]any{"problems": routing}})
	msg = "every customer's orders came back complete, oldest first"
	if len(content) > 0 {
		msg = content[0]
	}
	c.Assert("a customer's orders, all of them in order", len(content) == 0, msg, checker.Evidence{Details: map[string]any{"problems": content}})
}

func routingProblem(pr probe, touched []int) string {
	switch {
	case len(touched) == 1 && touched[0] == pr.home:
		return ""
	case len(touched) == 0:
		return fmt.Sprintf("reading customer %d's orders touched no shard", pr.customer)
	case len(touched) == 1:
		return fmt.Sprintf("reading customer %d's orders asked shard %d, but the customer lives on shard %d", pr.customer, touched[0], pr.home)
	}
	return fmt.Sprintf("reading customer %d's orders touched %s; only shard %d holds them", pr.customer, shardList(touched), pr.home)
}

func contentProblem(customer int64, got, all []Order) string {
	var want []int64
	for _, o := range all {
		if o.CustomerID == customer {
			want = append(want, o.ID)
		}
	}
	var ids []int64
	for _, o := range got {
		ids = append(ids, o.ID)
	}
	if slices.Equal(ids, want) {
		return ""
	}
	return fmt.Sprintf("customer %d: got orders %v; expected %v (all of the customer's orders, by id)", customer, first(ids, 8), first(want, 8))
}

// touched lists the shards whose logs saw a statement.
func touched(c *checker.Check) []int {
	var out []int
	for i := range c.Shards() {
		if c.ShardLog(i).RoundTrips() > 0 {
			out = append(out, i)
		}
	}
	return out
}

func resetShardLogs(c *checker.Check) {
	for i := range c.Shards() {
		c.ShardLog(i).Reset()
	}
}

func assertScatterGather(c *checker.Check, ex Exercise, customers []Customer, orders []Order) {
	slowDownShards(c)
	resetShardLogs(c)
	start := time.Now()
	got, err := ex.TopCustomers(c.Ctx(), c.Shards(), topN)
	wall := time.Since(start)
	c.RequireNoError("the top-customers report", err)

	var all []checker.Query
	busy := make([]time.Duration, len(c.Shards()))
	for i := range c.Shards() {
		qs := c.ShardLog(i).Queries()
		all = append(all, qs...)
		for _, q := range qs {
			busy[i] += q.End.Sub(q.Start)
		}
	}
	assertEveryShardAsked(c, all)
	assertAtOnce(c, wall, busy, checker.PeakOverlap(all), all)
	assertMerged(c, ex, got, reference(customers, orders, topN))
}

// slowDownShards puts a pause of shardPause in front of every query of
// orders, on every shard: the table becomes a view over the stored rows
// whose condition waits once per query.
func slowDownShards(c *checker.Check) {
	pause := fmt.Sprintf("%.3f", shardPause.Seconds())
	for _, db := range c.AdminShards() {
		_, err := db.Exec(c.Ctx(), `
ALTER TABLE orders RENAME TO orders_stored;
CREATE FUNCTION dblings_shard_pause() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_sleep(`+pause+`);
	RETURN true;
END $$;
CREATE VIEW orders AS SELECT * FROM orders_stored WHERE (SELECT dblings_shard_pause());`)
		c.RequireNoError("make every shard take "+shardPause.String(), err)
	}
}

func assertEveryShardAsked(c *checker.Check, all []checker.Query) {
	missed := []int{}
	for i := range c.Shards() {
		if c.ShardLog(i).RoundTrips() == 0 {
			missed = append(missed, i)
		}
	}
	msg := fmt.Sprintf("the report asked all %d shards", len(c.Shards()))
	if len(missed) > 0 {
		msg = fmt.Sprintf("the report never asked %s: every shard holds some of the customers, so a report over all of them must ask every shard", shardList(missed))
	}
	c.Assert("the report asks every shard", len(missed) == 0, msg, checker.Evidence{Queries: checker.Statements(all)})
}

// assertAtOnce compares the report's time with the time the shards spent
// answering: asked at once, the shards overlap and the report takes about
// as long as the slowest; asked in turn, it takes their sum.
func assertAtOnce(c *checker.Check, wall time.Duration, busy []time.Duration, peak int, all []checker.Query) {
	var sum, slowest time.Duration
	for _, b := range busy {
		sum += b
		slowest = max(slowest, b)
	}
	n := len(busy)
	ok := peak >= n && float64(wall) <= maxWallShare*float64(sum)
	ev := checker.Evidence{
		Queries: checker.Statements(all),
		Counts: map[string]int64{"wall_ms": wall.Milliseconds(), "sum_ms": sum.Milliseconds(),
			"slowest_ms": slowest.Milliseconds(), "peak_overlap": int64(peak)},
	}
	msg := fmt.Sprintf("the report took %s with all %d shards working at once: close to the slowest shard (%s), not the sum of their times (%s)",
		ms(wall), n, ms(slowest), ms(sum))
	if !ok {
		msg = fmt.Sprintf("the report took %s, %.0f%% of the sum of the shards' times (%s: %s), and at most %d of the %d shards worked at the same moment; expected all %d at once, so that the report takes about as long as the slowest shard (%s). Start one goroutine per shard, then wait for them all",
			ms(wall), 100*float64(wall)/float64(max(sum, 1)), ms(sum), durations(busy), peak, n, n, ms(slowest))
	}
	c.Assert("the shards are asked at the same time", ok, msg, ev)
}

// reference is the report of the top n computed from the source data.
func reference(customers []Customer, orders []Order, n int) []CustomerTotal {
	byID := map[int64]*CustomerTotal{}
	for _, cu := range customers {
		byID[cu.ID] = &CustomerTotal{CustomerID: cu.ID, Name: cu.Name}
	}
	for _, o := range orders {
		t := byID[o.CustomerID]
		t.Orders++
		t.TotalCents += o.AmountCents
	}
	var all []CustomerTotal
	for _, t := range byID {
		if t.Orders > 0 {
			all = append(all, *t)
		}
	}
	slices.SortFunc(all, func(a, b CustomerTotal) int {
		return cmp.Or(cmp.Compare(b.TotalCents, a.TotalCents), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return all[:min(n, len(all))]
}

func assertMerged(c *checker.Check, ex Exercise, got, want []CustomerTotal) {
	msg := fmt.Sprintf("the top %d customers match the reference, from %s (%s) down to %s (%s)",
		topN, want[0].Name, cents(want[0].TotalCents), want[topN-1].Name, cents(want[topN-1].TotalCents))
	ok := slices.Equal(got, want)
	if !ok {
		msg = mergeProblem(c, ex, got, want)
	}
	c.Assert("the report merges the shards' answers", ok, msg,
		checker.Evidence{Details: map[string]any{"got": got, "want": want}})
}

func mergeProblem(c *checker.Check, ex Exercise, got, want []CustomerTotal) string {
	n := len(c.Shards())
	switch {
	case len(got) > len(want):
		return fmt.Sprintf("the report has %d lines; expected %d: cut the merged list to n after sorting it", len(got), len(want))
	case len(got) < len(want):
		return fmt.Sprintf("the report has %d lines; expected %d: each shard must send its own top n, since the best %d overall may all live on one shard", len(got), len(want), topN)
	case sameCustomers(got, want):
		return orderProblem(ex, got, want, n)
	}
	i := 0
	for got[i] == want[i] {
		i++
	}
	msg := fmt.Sprintf("line %d is customer %d (%s, %d orders, %s); expected customer %d (%s, %d orders, %s)",
		i+1, got[i].CustomerID, got[i].Name, got[i].Orders, cents(got[i].TotalCents),
		want[i].CustomerID, want[i].Name, want[i].Orders, cents(want[i].TotalCents))
	if s, one := fromOneShard(ex, got, n); one {
		return msg + fmt.Sprintf(". Every customer in your report lives on shard %d: merge the answers of all shards, sort the whole list, then keep the first %d", s, topN)
	}
	if s, have, need := shortShard(ex, got, want, n); need > have {
		return msg + fmt.Sprintf(". Your report has %d customers of shard %d, but the real top %d has %d of them: ask each shard for its own top n, not a share of it", have, s, topN, need)
	}
	return msg + ". Gather every shard's top n, merge them, sort the merged list, then keep the first n"
}

// orderProblem explains a report with the right customers in the wrong
// order: a tie broken the wrong way, or a merged list never sorted.
func orderProblem(ex Exercise, got, want []CustomerTotal, n int) string {
	i := 0
	for got[i] == want[i] {
		i++
	}
	if got[i].TotalCents == want[i].TotalCents {
		return tieProblem(ex, got[i], want[i], n)
	}
	return "the right customers in the wrong order: sort the merged list again, highest total first, ties by customer id; each shard only knows its own order"
}

// tieProblem explains a tie broken the wrong way: got came first, want
// should have.
func tieProblem(ex Exercise, got, want CustomerTotal, n int) string {
	msg := fmt.Sprintf("customers %d and %d both spent %s, a tie, and ties go to the lower customer id: customer %d comes first. Your report has customer %d first",
		want.CustomerID, got.CustomerID, cents(got.TotalCents), want.CustomerID, got.CustomerID)
	if g, w := ex.ShardFor(got.CustomerID, n), ex.ShardFor(want.CustomerID, n); g < w {
		msg += fmt.Sprintf(", who lives on shard %d, before shard %d: the tie kept the order in which the shards' lists were put together", g, w)
	}
	return msg + ". Sort the merged list by total, then by customer id"
}

// shortShard finds the shard with the most customers missing from the
// report, and how many of its customers the report has and needs.
func shortShard(ex Exercise, got, want []CustomerTotal, n int) (shard, have, need int) {
	gotPer, wantPer := make([]int, n), make([]int, n)
	for _, t := range got {
		gotPer[ex.ShardFor(t.CustomerID, n)]++
	}
	for _, t := range want {
		wantPer[ex.ShardFor(t.CustomerID, n)]++
	}
	for s := range n {
		if wantPer[s]-gotPer[s] > need-have {
			shard, have, need = s, gotPer[s], wantPer[s]
		}
	}
	return shard, have, need
}

func sameCustomers(got, want []CustomerTotal) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	byID := func(x, y CustomerTotal) int { return cmp.Compare(x.CustomerID, y.CustomerID) }
	slices.SortFunc(a, byID)
	slices.SortFunc(b, byID)
	return slices.Equal(a, b)
}

func fromOneShard(ex Exercise, got []CustomerTotal, n int) (int, bool) {
	s := ex.ShardFor(got[0].CustomerID, n)
	for _, t := range got {
		if ex.ShardFor(t.CustomerID, n) != s {
			return 0, false
		}
	}
	return s, true
}

func shardCounts(p *placement) map[string]int64 {
	out := map[string]int64{}
	for i := range p.customers {
		out[fmt.Sprintf("shard_%d_customers", i)] = int64(p.customers[i])
		out[fmt.Sprintf("shard_%d_orders", i)] = int64(p.orders[i])
	}
	return out
}

func shardList(shards []int) string {
	if len(shards) == 0 {
		return "no shard"
	}
	parts := make([]string, len(shards))
	for i, s := range shards {
		parts[i] = fmt.Sprint(s)
	}
	if len(parts) == 1 {
		return "shard " + parts[0]
	}
	return "shards " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func counts(per []int) string {
	parts := make([]string, len(per))
	for i, n := range per {
		parts[i] = count(n)
	}
	return strings.Join(parts, ", ")
}

func durations(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = ms(d)
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }

func cents(n int64) string { return fmt.Sprintf("%s.%02d", count(int(n/100)), n%100) }

func count(n int) string { return checker.FormatCount(int64(n)) }

func first[T any](s []T, n int) []T { return s[:min(n, len(s))] }
