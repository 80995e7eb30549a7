// Package batching is lesson 6: import a supplier's product feed in a few
// round trips, all or nothing.
package batching

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Product is one line of the supplier's feed.
type Product struct {
	SKU        string
	Name       string
	PriceCents int64
	UpdatedAt  time.Time
}

// UpsertProduct writes one product: a new SKU is inserted, an SKU already in
// the catalog takes the feed's name, price and date.
const UpsertProduct = `INSERT INTO products (sku, name, price_cents, updated_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (sku) DO UPDATE
SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = EXCLUDED.updated_at`

// Import writes every product of the feed into the catalog. An SKU that is
// already there is updated. When any product is rejected, Import returns the
// error and the catalog is left exactly as it was.
//
// TODO: this sends one INSERT per product and waits for each answer, and a
// bad product in the middle leaves the ones before it written. Send many
// products per round trip, all in one transaction. Run
// `dblings hint batching` if you are stuck.
func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	for _, p := range products {
		if _, err := db.Exec(ctx, UpsertProduct, p.SKU, p.Name, p.PriceCents, p.UpdatedAt); err != nil {
			return fmt.Errorf("import %s: %w", p.SKU, err)
		}
	}
	return nil
}
