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
	var dropped time.Time
	if err := shop.QueryRow(ctx, `SELECT at FROM audit.ddl_log ORDER BY at LIMIT 1`).Scan(&dropped); err != nil {
		return Recovery{}, err
	}
	backups, err := v.Backups(ctx)
	if err != nil {
		return Recovery{}, err
	}
	var best vault.Backup
	for _, b := range backups {
		if b.TakenAt.Before(dropped) {
			best = b
		}
	}
	restored, err := v.Restore(ctx, best.Name, best.TakenAt)
	if err != nil {
		return Recovery{}, err
	}
	rto := time.Since(start)
	lost, err := lostOrders(ctx, shop, restored.URL)
	return Recovery{Server: restored.URL, RTO: rto, Lost: lost}, err
}
