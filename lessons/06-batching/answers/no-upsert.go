//go:build ignore

// Wrong: one batch in one transaction, but a plain INSERT: the first SKU
// already in the catalog breaks the unique constraint and the import fails.
//
//dblings:answer failed assertion="your import runs" says="already in the catalog"
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
			b.Queue(`INSERT INTO products (sku, name, price_cents, updated_at) VALUES ($1, $2, $3, $4)`, p.SKU, p.Name, p.PriceCents, p.UpdatedAt)
		}
		return tx.SendBatch(ctx, b).Close()
	})
}
