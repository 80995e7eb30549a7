//go:build ignore

// Wrong: a single customer's orders are read from every shard and merged:
// right rows, but every read costs every server.
//
//dblings:answer failed over=solution assertion="one customer, one shard asked" says="touched shards 0, 1 and 2"
package sharding

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func CustomerOrders(ctx context.Context, shards []*pgxpool.Pool, customerID int64) ([]Order, error) {
	var all []Order
	for _, db := range shards {
		rows, err := db.Query(ctx, `SELECT id, customer_id, amount_cents, created_at
FROM orders WHERE customer_id = $1 ORDER BY id`, customerID)
		if err != nil {
			return nil, err
		}
		orders, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Order])
		if err != nil {
			return nil, err
		}
		all = append(all, orders...)
	}
	return all, nil
}
