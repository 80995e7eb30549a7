//go:build ignore

// Wrong: all or nothing now, thanks to the transaction, but still one INSERT
// per row, each waiting for its answer.
//
//dblings:answer failed assertion="few round trips" says="inside a transaction"
package batching

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		for _, p := range products {
			if _, err := tx.Exec(ctx, UpsertProduct, p.SKU, p.Name, p.PriceCents, p.UpdatedAt); err != nil {
				return fmt.Errorf("import %s: %w", p.SKU, err)
			}
		}
		return nil
	})
}
