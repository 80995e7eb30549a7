//go:build ignore

// Right: one statement for the whole feed, the columns sent as four arrays
// and turned back into rows by unnest. One statement is one transaction, so
// a bad row rejects them all.
//
//dblings:answer passed
package batching

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	var skus, names []string
	var prices []int64
	var dates []time.Time
	for _, p := range products {
		skus, names = append(skus, p.SKU), append(names, p.Name)
		prices, dates = append(prices, p.PriceCents), append(dates, p.UpdatedAt)
	}
	_, err := db.Exec(ctx, `INSERT INTO products (sku, name, price_cents, updated_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[])
ON CONFLICT (sku) DO UPDATE
SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = EXCLUDED.updated_at`, skus, names, prices, dates)
	return err
}
