//go:build ignore

// Wrong: the right backup, recovered to "now", the latest state the
// archive holds. Recovery replays the DROP with everything else.
//
//dblings:answer failed over=solution assertion="the dropped table is back" says="replayed the DROP"
package backuprestore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	target := time.Now()
	backup, err := newestBefore(ctx, v, target)
	if err != nil {
		return Recovery{}, err
	}
	restored, err := v.Restore(ctx, backup.Name, target)
	if err != nil {
		return Recovery{}, err
	}
	rto := time.Since(start)
	lost, err := lostOrders(ctx, shop, restored.URL)
	return Recovery{Server: restored.URL, RTO: rto, Lost: lost}, err
}
