//go:build ignore

// Wrong: batches of a thousand upserts, each its own implicit transaction. Few
// round trips, but a bad row in a later batch leaves the earlier batches
// committed.
//
//dblings:answer failed assertion="all or nothing" says="committed before the bad row"
package batching

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

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
