//go:build ignore

// Wrong: a target a second before the DROP, "to be safe". The shop
// committed orders in that second, and they are gone.
//
//dblings:answer failed over=solution assertion="every order placed before the DROP" says="stopped too early"
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
	if err := shop.QueryRow(ctx, `SELECT at FROM audit.ddl_log WHERE objects LIKE '%customers%'`).Scan(&dropped); err != nil {
		return Recovery{}, err
	}
	target := dropped.Add(-time.Second)
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
