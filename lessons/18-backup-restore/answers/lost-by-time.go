//go:build ignore

// Right, differently: the lost orders found on the damaged shop alone, by
// the time they were placed (after the DROP), and the restored server
// checked only for its customers table before the clock stops.
//
//dblings:answer passed over=solution
package backuprestore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	var dropped time.Time
	if err := shop.QueryRow(ctx, `SELECT max(at) FROM audit.ddl_log WHERE command = 'DROP TABLE' AND objects = 'public.customers'`).Scan(&dropped); err != nil {
		return Recovery{}, err
	}
	backup, err := newestBefore(ctx, v, dropped)
	if err != nil {
		return Recovery{}, err
	}
	restored, err := v.Restore(ctx, backup.Name, dropped)
	if err != nil {
		return Recovery{}, err
	}
	conn, err := pgx.Connect(ctx, restored.URL)
	if err != nil {
		return Recovery{}, err
	}
	defer conn.Close(ctx)
	var back bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('customers') IS NOT NULL`).Scan(&back); err != nil || !back {
		return Recovery{}, errors.Join(errors.New("customers is not back"), err)
	}
	rto := time.Since(start)
	rows, err := shop.Query(ctx, `SELECT id FROM orders WHERE placed_at > $1 ORDER BY id`, dropped)
	if err != nil {
		return Recovery{}, err
	}
	lost, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return Recovery{Server: restored.URL, RTO: rto, Lost: lost}, err
}
