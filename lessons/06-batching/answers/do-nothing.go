//go:build ignore

// Wrong: one batch in one transaction, but ON CONFLICT DO NOTHING: SKUs
// already in the catalog keep their old name, price and date.
//
//dblings:answer failed assertion="existing SKUs updated" says="kept their old values"
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
			b.Queue(`INSERT INTO products (sku, name, price_cents, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sku) DO NOTHING`, p.SKU, p.Name, p.PriceCents, p.UpdatedAt)
		}
		return tx.SendBatch(ctx, b).Close()
	})
}
