package batching

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Product struct {
	SKU        string
	Name       string
	PriceCents int64
	UpdatedAt  time.Time
}

const UpsertProduct = `INSERT INTO products (sku, name, price_cents, updated_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (sku) DO UPDATE
SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = EXCLUDED.updated_at`

func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	for start := 0; start < len(products); start += 1000 {
		b := &pgx.Batch{}
		for _, p := range products[start:min(start+1000, len(products))] {
			b.Queue(UpsertProduct, p.SKU, p.Name, p.PriceCents, p.UpdatedAt)
		}
		if err := db.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("import from %s: %w", products[start].SKU, err)
		}
	}
	return nil
}
