//go:build ignore

// Wrong: RTO taken as the age of the backup, which is closer to the
// recovery point than to the recovery time. RTO is how long the service
// was down for the restore: the drill's own stopwatch.
//
//dblings:answer failed over=solution assertion="RTO" says="longer than the whole drill"
package backuprestore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	dropped, err := whenDropped(ctx, shop)
	if err != nil {
		return Recovery{}, err
	}
	backup, err := newestBefore(ctx, v, justBefore(dropped))
	if err != nil {
		return Recovery{}, err
	}
	restored, err := v.Restore(ctx, backup.Name, justBefore(dropped))
	if err != nil {
		return Recovery{}, err
	}
	lost, err := lostOrders(ctx, shop, restored.URL)
	return Recovery{Server: restored.URL, RTO: time.Since(backup.TakenAt), Lost: lost}, err
}
