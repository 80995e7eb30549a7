//go:build ignore

// Right: COPY the feed into a temporary table, then one INSERT ... SELECT with
// ON CONFLICT DO UPDATE, all in one transaction: the fastest way in for large
// feeds.
//
//dblings:answer passed
package batching

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE feed (LIKE products) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"feed"}, []string{"sku", "name", "price_cents", "updated_at"},
			pgx.CopyFromSlice(len(products), func(i int) ([]any, error) {
				p := products[i]
				return []any{p.SKU, p.Name, p.PriceCents, p.UpdatedAt}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO products SELECT * FROM feed
ON CONFLICT (sku) DO UPDATE
SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = EXCLUDED.updated_at`)
		return err
	})
}
