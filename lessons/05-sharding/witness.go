// Package sharding is lesson 5's second witness: after the check it reads
// every shard and establishes, from the rows themselves, that each
// customer and each order was saved once, that every order sits on the
// shard of its customer, and that the customers are spread evenly.
//
// The learner chooses the hash, so the witness cannot route a customer
// itself; what it checks is what any right routing leaves. The check has
// the customers saved by a second process of its program and the orders
// by its own: a routing that differs between two processes leaves orders
// away from their customers, which the witness sees from a third process,
// dblings.
package sharding

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/witness"
)

// The witness's own copy of what the check saves (lessons/05-sharding/check):
// change this when the check changes.
const (
	// customers are ids 1..customers, orders 1..orders, whatever the seed.
	customers = fixtures.ShopCustomersCount
	// orders counts the fixture's orders and the one the check adds to
	// make a tie across shards.
	orders = fixtures.ShopOrdersCount + 1
	// spread is how far a shard may stray from the mean number of
	// customers, as in the check.
	spread = 0.20
)

// shard is what one shard holds: customer ids, and order ids with their
// customers.
type shard struct {
	customers []int64
	orders    map[int64]int64 // order id → customer id
}

// Witness is lesson 5's witness. The shards start empty: there is nothing
// to see before the check.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return func(ctx context.Context) ([]witness.Fact, error) {
		var shards []shard
		err := s.Each(ctx, func(_ int, conn *pgx.Conn) error {
			sh, err := readShard(ctx, conn)
			shards = append(shards, sh)
			return err
		})
		if err != nil {
			return nil, err
		}
		return judge(shards), nil
	}, nil
}

// readShard reads one shard's rows. During the report the check renames
// orders to orders_stored behind a slow view; the stored rows are read.
func readShard(ctx context.Context, conn *pgx.Conn) (shard, error) {
	sh := shard{orders: map[int64]int64{}}
	rows, err := conn.Query(ctx, `SELECT id FROM customers`)
	if err != nil {
		return sh, fmt.Errorf("read the customers: %w", err)
	}
	if sh.customers, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return sh, fmt.Errorf("read the customers: %w", err)
	}
	var table string
	if err := conn.QueryRow(ctx, `SELECT coalesce(to_regclass('orders_stored'), 'orders'::regclass)::text`).Scan(&table); err != nil {
		return sh, fmt.Errorf("find the orders: %w", err)
	}
	rows, err = conn.Query(ctx, `SELECT id, customer_id FROM `+pgx.Identifier{table}.Sanitize())
	if err != nil {
		return sh, fmt.Errorf("read the orders: %w", err)
	}
	var id, customer int64
	_, err = pgx.ForEachRow(rows, []any{&id, &customer}, func() error {
		sh.orders[id] = customer
		return nil
	})
	if err != nil {
		return sh, fmt.Errorf("read the orders: %w", err)
	}
	return sh, nil
}

// judge states the facts.
func judge(shards []shard) []witness.Fact {
	homes := map[int64][]int{} // customer id → the shards holding it
	orderHomes := map[int64][]int{}
	perShard := make([]int, len(shards))
	orderCounts := make([]int, len(shards))
	for i, sh := range shards {
		for _, id := range sh.customers {
			homes[id] = append(homes[id], i)
		}
		for id := range sh.orders {
			orderHomes[id] = append(orderHomes[id], i)
		}
		perShard[i], orderCounts[i] = len(sh.customers), len(sh.orders)
	}
	return []witness.Fact{
		onceFact("customer", homes, customers, perShard),
		onceFact("order", orderHomes, orders, orderCounts),
		besideFact(shards, homes),
		spreadFact(perShard),
	}
}

// onceFact: ids 1..want each on exactly one shard, and no other id.
func onceFact(what string, homes map[int64][]int, want int, per []int) witness.Fact {
	var missing, twice, unknown []int64
	for id := int64(1); id <= int64(want); id++ {
		switch n := len(homes[id]); {
		case n == 0:
			missing = append(missing, id)
		case n > 1:
			twice = append(twice, id)
		}
	}
	for id := range homes {
		if id < 1 || id > int64(want) {
			unknown = append(unknown, id)
		}
	}
	var problems []string
	for _, p := range []struct {
		ids  []int64
		says string
	}{{missing, "on no shard"}, {twice, "on several shards"}, {unknown, "not the check's"}} {
		if len(p.ids) > 0 {
			slices.Sort(p.ids)
			problems = append(problems, fmt.Sprintf("%s %s (%s)", checker.FormatCount(int64(len(p.ids))), p.says, examples(p.ids)))
		}
	}
	return witness.Holds(fmt.Sprintf("database: every %s saved once", what), len(problems) == 0,
		fmt.Sprintf("the shards hold the %s %ss the check saved (%s), each on exactly one shard", checker.FormatCount(int64(want)), what, counts(per)),
		fmt.Sprintf("read by dblings after the check, the shards hold %s %s rows (%s) for the check's %s: %s",
			checker.FormatCount(int64(sum(per))), what, counts(per), checker.FormatCount(int64(want)), strings.Join(problems, "; ")))
}

// besideFact: every order on the shard that holds its customer. The
// customers were saved by another process than the orders.
func besideFact(shards []shard, homes map[int64][]int) witness.Fact {
	var away []string
	total := 0
	for i, sh := range shards {
		for id, customer := range sh.orders {
			total++
			if !slices.Contains(homes[customer], i) {
				away = append(away, fmt.Sprintf("order %d of customer %d is on shard %d, the customer on %s", id, customer, i, shardList(homes[customer])))
			}
		}
	}
	slices.Sort(away)
	return witness.Holds("database: every order beside its customer", len(away) == 0,
		fmt.Sprintf("each of the %s orders is on its customer's shard, though one process saved the customers and another the orders", checker.FormatCount(int64(total))),
		fmt.Sprintf("read by dblings after the check, %s of the %s orders are not on their customer's shard (%s): one process saved the customers, another their orders, and the two did not route alike",
			checker.FormatCount(int64(len(away))), checker.FormatCount(int64(total)), strings.Join(away[:min(2, len(away))], "; ")))
}

// spreadFact: every shard within spread of the mean number of customers.
func spreadFact(per []int) witness.Fact {
	mean := float64(sum(per)) / float64(len(per))
	worst := 0.0
	for _, n := range per {
		worst = max(worst, math.Abs(float64(n)-mean)/mean)
	}
	ok := mean > 0 && worst <= spread
	return witness.Holds("database: customers spread evenly", ok,
		fmt.Sprintf("customers per shard: %s, each within %.0f%% of the mean", counts(per), spread*100),
		fmt.Sprintf("read by dblings after the check, the shards hold %s customers; expected each within %.0f%% of the mean", counts(per), spread*100))
}

func sum(per []int) int {
	n := 0
	for _, p := range per {
		n += p
	}
	return n
}

func counts(per []int) string {
	parts := make([]string, len(per))
	for i, n := range per {
		parts[i] = checker.FormatCount(int64(n))
	}
	return strings.Join(parts, ", ")
}

// examples lists the first few ids.
func examples(ids []int64) string {
	parts := make([]string, 0, 3)
	for _, id := range ids[:min(3, len(ids))] {
		parts = append(parts, fmt.Sprint(id))
	}
	if len(ids) > 3 {
		parts = append(parts, "…")
	}
	return "e.g. " + strings.Join(parts, ", ")
}

func shardList(shards []int) string {
	if len(shards) == 0 {
		return "no shard"
	}
	parts := make([]string, len(shards))
	for i, s := range shards {
		parts[i] = fmt.Sprint(s)
	}
	return "shard " + strings.Join(parts, " and ")
}
