//go:build ignore

// Wrong: orders routed by their own id: a customer's orders end up scattered
// over every shard, away from the customer.
//
//dblings:answer failed over=solution assertion="each customer on one shard, with their orders" says="A customer's orders must live with the customer"
package sharding

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Save(ctx context.Context, shards []*pgxpool.Pool, customers []Customer, orders []Order) error {
	customerRows := make([][][]any, len(shards))
	for _, c := range customers {
		i := ShardFor(c.ID, len(shards))
		customerRows[i] = append(customerRows[i], []any{c.ID, c.Name, c.Region})
	}
	orderRows := make([][][]any, len(shards))
	for _, o := range orders {
		i := ShardFor(o.ID, len(shards))
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
