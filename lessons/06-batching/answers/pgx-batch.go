//go:build ignore

// Right: every upsert queued in one pgx.Batch, sent in one round trip inside
// one transaction.
//
//dblings:answer passed
package batching

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, p := range products {
			b.Queue(UpsertProduct, p.SKU, p.Name, p.PriceCents, p.UpdatedAt)
		}
		return tx.SendBatch(ctx, b).Close()
	})
}
