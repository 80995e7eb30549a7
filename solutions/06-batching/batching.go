// Package batching is lesson 6: import a supplier's product feed in a few
// round trips, all or nothing.
package batching

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
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

// upsertMany is UpsertProduct for a whole chunk: one array per column, which
// unnest turns back into rows. Four parameters, however many rows.
const upsertMany = `INSERT INTO products (sku, name, price_cents, updated_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[])
ON CONFLICT (sku) DO UPDATE
SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = EXCLUDED.updated_at`

// chunkSize bounds one statement, so that a huge feed does not become one
// huge message; a few thousand rows per round trip already make the network
// wait negligible.
const chunkSize = 5_000

// Import writes every product of the feed into the catalog. An SKU that is
// already there is updated. When any product is rejected, Import returns the
// error and the catalog is left exactly as it was.
//
// One transaction makes the import all or nothing: BeginFunc rolls it back
// when a chunk fails. Inside it, each chunk is a single statement.
func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		for chunk := range slices.Chunk(products, chunkSize) {
			if err := upsert(ctx, tx, chunk); err != nil {
				return err
			}
		}
		return nil
	})
}

func upsert(ctx context.Context, tx pgx.Tx, chunk []Product) error {
	skus := make([]string, len(chunk))
	names := make([]string, len(chunk))
	prices := make([]int64, len(chunk))
	dates := make([]time.Time, len(chunk))
	for i, p := range chunk {
		skus[i], names[i], prices[i], dates[i] = p.SKU, p.Name, p.PriceCents, p.UpdatedAt
	}
	if _, err := tx.Exec(ctx, upsertMany, skus, names, prices, dates); err != nil {
		return fmt.Errorf("import %d products from %s: %w", len(chunk), chunk[0].SKU, err)
	}
	return nil
}
