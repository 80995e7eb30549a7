//go:build ignore

// Wrong: "we restored to just before the mistake, so nothing was lost".
// The orders placed after the target are on the damaged server only.
//
//dblings:answer failed over=solution assertion="RPO" says="the damaged shop holds"
package backuprestore

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func lostOrders(ctx context.Context, shop *pgxpool.Pool, restoredURL string) ([]int64, error) {
	return nil, nil
}
