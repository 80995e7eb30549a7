//go:build dblings

package batching

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/06-batching/check"
)

// The check itself is lessons/06-batching/check, compiled once and cached;
// this file hands it your work, converting the check's products to yours.
func TestBatching(t *testing.T) {
	importProducts := func(ctx context.Context, db *pgxpool.Pool, products []check.Product) error {
		ps := make([]Product, len(products))
		for i, p := range products {
			ps[i] = Product(p)
		}
		return Import(ctx, db, ps)
	}
	check.Run(t, check.Exercise{Import: importProducts, UpsertProduct: UpsertProduct})
}
