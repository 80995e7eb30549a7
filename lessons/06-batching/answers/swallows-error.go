//go:build ignore

// Wrong: the right batch and transaction, but the error is printed and
// dropped: the caller is told the import worked when nothing was written.
//
//dblings:answer failed assertion="a bad row fails the import" says="returned no error"
package batching

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Import(ctx context.Context, db *pgxpool.Pool, products []Product) error {
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, p := range products {
			b.Queue(UpsertProduct, p.SKU, p.Name, p.PriceCents, p.UpdatedAt)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		fmt.Println("import failed, skipped:", err)
	}
	return nil
}
