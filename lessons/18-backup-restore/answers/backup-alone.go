//go:build ignore

// Wrong: the right backup, the newest one taken before the DROP, restored
// as it is (its own moment as the target). Everything committed between
// the backup and the DROP is missing: the RPO of a backup without its WAL.
//
//dblings:answer failed over=solution assertion="every order placed before the DROP" says="lacks"
package backuprestore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	dropped, err := whenDropped(ctx, shop)
	if err != nil {
		return Recovery{}, err
	}
	backup, err := newestBefore(ctx, v, dropped)
	if err != nil {
		return Recovery{}, err
	}
	restored, err := v.Restore(ctx, backup.Name, backup.TakenAt)
	if err != nil {
		return Recovery{}, err
	}
	rto := time.Since(start)
	lost, err := lostOrders(ctx, shop, restored.URL)
	return Recovery{Server: restored.URL, RTO: rto, Lost: lost}, err
}
