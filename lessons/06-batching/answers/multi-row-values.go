//go:build ignore

// Right: INSERTs of a thousand rows each, VALUES built with numbered
// parameters, all in one transaction that is rolled back on the first error.
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
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	for start := 0; start < len(products); start += 1000 {
		if err := insertChunk(ctx, tx, products[start:min(start+1000, len(products))]); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

func insertChunk(ctx context.Context, tx pgx.Tx, chunk []Product) error {
	sql := "INSERT INTO products (sku, name, price_cents, updated_at) VALUES "
	args := make([]any, 0, 4*len(chunk))
	for i, p := range chunk {
		if i > 0 {
			sql += ", "
		}
		sql += fmt.Sprintf("($%d, $%d, $%d, $%d)", 4*i+1, 4*i+2, 4*i+3, 4*i+4)
		args = append(args, p.SKU, p.Name, p.PriceCents, p.UpdatedAt)
	}
	sql += " ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, updated_at = EXCLUDED.updated_at"
	_, err := tx.Exec(ctx, sql, args...)
	return err
}
