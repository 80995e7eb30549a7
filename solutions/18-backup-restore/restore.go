package backuprestore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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
// staging ran DROP TABLE customers CASCADE on production: a point-in-time
// restore to the last moment before the DROP, from the newest base backup
// taken before it (the least WAL to replay), then the orders the restore
// lost, for someone to enter again.
func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	dropped, err := whenDropped(ctx, shop)
	if err != nil {
		return Recovery{}, err
	}
	target := justBefore(dropped)
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
	if err != nil {
		return Recovery{}, err
	}
	return Recovery{Server: restored.URL, RTO: rto, Lost: lost}, nil
}

// whenDropped reads, from the DDL log, when customers was dropped.
func whenDropped(ctx context.Context, shop *pgxpool.Pool) (time.Time, error) {
	var dropped time.Time
	err := shop.QueryRow(ctx, `SELECT at FROM audit.ddl_log
		WHERE command = 'DROP TABLE' AND objects LIKE '%public.customers%' ORDER BY at LIMIT 1`).Scan(&dropped)
	if err != nil {
		return time.Time{}, fmt.Errorf("find when customers was dropped: %w", err)
	}
	return dropped, nil
}

// justBefore is the recovery target for a mistake logged at t. Recovery
// keeps every transaction committed at or before the target; the DROP
// committed after its log line was written, and everything the shop
// committed before it, earlier still.
func justBefore(t time.Time) time.Time { return t.Add(-time.Microsecond) }

// newestBefore is the newest backup that can reach target: taken before it.
func newestBefore(ctx context.Context, v *vault.Client, target time.Time) (vault.Backup, error) {
	backups, err := v.Backups(ctx)
	if err != nil {
		return vault.Backup{}, err
	}
	var best vault.Backup
	for _, b := range backups {
		if b.TakenAt.Before(target) && b.TakenAt.After(best.TakenAt) {
			best = b
		}
	}
	if best.Name == "" {
		return best, errors.New("no backup was taken before the DROP: nothing can bring customers back")
	}
	return best, nil
}

// lostOrders are the orders on the damaged shop that the restored server
// lacks: placed after the target, they are the recovery point's cost.
func lostOrders(ctx context.Context, shop *pgxpool.Pool, restoredURL string) ([]int64, error) {
	restored, err := pgx.Connect(ctx, restoredURL)
	if err != nil {
		return nil, err
	}
	defer restored.Close(ctx)
	var last int64
	if err := restored.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&last); err != nil {
		return nil, err
	}
	rows, err := shop.Query(ctx, `SELECT id FROM orders WHERE id > $1 ORDER BY id`, last)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
