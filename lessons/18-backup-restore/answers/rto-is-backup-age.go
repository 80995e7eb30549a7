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
	var dropped time.Time
	if err := shop.QueryRow(ctx, `SELECT at FROM audit.ddl_log WHERE objects LIKE '%customers%'`).Scan(&dropped); err != nil {
		return Recovery{}, err
	}
	target := dropped.Add(-time.Microsecond)
	backup, err := newestBefore(ctx, v, target)
	if err != nil {
		return Recovery{}, err
	}
	restored, err := v.Restore(ctx, backup.Name, target)
	if err != nil {
		return Recovery{}, err
	}
	rto := time.Since(backup.TakenAt)
	lost, err := lostOrders(ctx, shop, restored.URL)
	return Recovery{Server: restored.URL, RTO: rto, Lost: lost}, err
}
