// Wrong: fixed ranges of ids, a thousand customers per shard: even today,
// but every new customer goes to the last shard.
package sharding

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Customer struct {
	ID     int64
	Name   string
	Region string
}

type Order struct {
	ID          int64
	CustomerID  int64
	AmountCents int64
	CreatedAt   time.Time
}

type CustomerTotal struct {
	CustomerID int64
	Name       string
	Orders     int64
	TotalCents int64
}

func ShardFor(customerID int64, shards int) int {
	return min(int((customerID-1)/1000), shards-1)
}

func Save(ctx context.Context, shards []*pgxpool.Pool, customers []Customer, orders []Order) error {
	customerRows := make([][][]any, len(shards))
	for _, c := range customers {
		i := ShardFor(c.ID, len(shards))
		customerRows[i] = append(customerRows[i], []any{c.ID, c.Name, c.Region})
	}
	orderRows := make([][][]any, len(shards))
	for _, o := range orders {
		i := ShardFor(o.CustomerID, len(shards))
		orderRows[i] = append(orderRows[i], []any{o.ID, o.CustomerID, o.AmountCents, o.CreatedAt})
	}
	for i, db := range shards {
		if _, err := db.CopyFrom(ctx, pgx.Identifier{"customers"}, []string{"id", "name", "region"}, pgx.CopyFromRows(customerRows[i])); err != nil {
			return err
		}
		if _, err := db.CopyFrom(ctx, pgx.Identifier{"orders"}, []string{"id", "customer_id", "amount_cents", "created_at"}, pgx.CopyFromRows(orderRows[i])); err != nil {
			return err
		}
	}
	return nil
}

func CustomerOrders(ctx context.Context, shards []*pgxpool.Pool, customerID int64) ([]Order, error) {
	db := shards[ShardFor(customerID, len(shards))]
	rows, err := db.Query(ctx, `SELECT id, customer_id, amount_cents, created_at
FROM orders WHERE customer_id = $1 ORDER BY id`, customerID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Order])
}

const shardTop = `SELECT c.id, c.name, count(*), sum(o.amount_cents)::bigint
FROM customers c JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name
ORDER BY sum(o.amount_cents) DESC, c.id
LIMIT $1`

func TopCustomers(ctx context.Context, shards []*pgxpool.Pool, n int) ([]CustomerTotal, error) {
	parts := make([][]CustomerTotal, len(shards))
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, db := range shards {
		wg.Go(func() {
			parts[i], errs[i] = queryTop(ctx, db, n)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	all := slices.Concat(parts...)
	slices.SortFunc(all, func(a, b CustomerTotal) int {
		return cmp.Or(cmp.Compare(b.TotalCents, a.TotalCents), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return all[:min(n, len(all))], nil
}

func queryTop(ctx context.Context, db *pgxpool.Pool, n int) ([]CustomerTotal, error) {
	rows, err := db.Query(ctx, shardTop, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[CustomerTotal])
}
