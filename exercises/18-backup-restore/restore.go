package backuprestore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

// Recovery is what a restore drill reports.
type Recovery struct {
	// Server is the restored database's URL, as the vault's Restore
	// returned it.
	Server string
	// RTO is the recovery time: from the start of Restore until the
	// restored server answered.
	RTO time.Duration
	// Lost is the recovery point, in orders: the ids of the orders the
	// damaged shop holds and the restored one lacks, which someone must
	// now enter again by hand. Sorted, smallest first.
	Lost []int64
}

// Restore brings the bakery's shop back after a migration meant for
// staging ran DROP TABLE customers CASCADE on production. shop is the
// damaged production database (its audit.ddl_log says when each DROP
// ran); v is the backup vault: base backups of that server and its
// archived WAL.
func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	backups, err := v.Backups(ctx)
	if err != nil {
		return Recovery{}, err
	}
	// TODO: the newest backup is not always one you can use, and a backup
	// on its own loses everything written after it was taken. Find when
	// the DROP ran, choose a backup taken before it, and replay the WAL
	// up to just before that moment. Then say what was lost.
	latest := backups[len(backups)-1]
	restored, err := v.Restore(ctx, latest.Name, latest.TakenAt)
	if err != nil {
		return Recovery{}, err
	}
	return Recovery{Server: restored.URL, RTO: time.Since(start)}, nil
}
