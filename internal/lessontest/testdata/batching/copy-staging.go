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
