//go:build ignore

// Forged: a quick restore to "now" (the DROP replayed), patched up by
// hand: the orders after the DROP deleted, customers copied over from a
// second restore of the hourly backup as it is, and made-up customers for
// the ids the orders name that the backup lacks. The check's own questions
// all come out right; the second witness finds rows written to the
// restored server after it was promoted, and customers that are not the
// shop's.
//
//dblings:answer disputed over=solution says="written to after it was restored"
package backuprestore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	var dropped time.Time
	if err := shop.QueryRow(ctx, `SELECT at FROM audit.ddl_log WHERE objects = 'public.customers'`).Scan(&dropped); err != nil {
		return Recovery{}, err
	}
	backup, err := newestBefore(ctx, v, dropped)
	if err != nil {
		return Recovery{}, err
	}
	now, err := v.Restore(ctx, backup.Name, time.Now())
	if err != nil {
		return Recovery{}, err
	}
	old, err := v.Restore(ctx, backup.Name, backup.TakenAt)
	if err != nil {
		return Recovery{}, err
	}
	src, err := pgx.Connect(ctx, old.URL)
	if err != nil {
		return Recovery{}, err
	}
	defer src.Close(ctx)
	dst, err := pgx.Connect(ctx, now.URL)
	if err != nil {
		return Recovery{}, err
	}
	defer dst.Close(ctx)
	rows, err := src.Query(ctx, `SELECT id, name, email FROM customers`)
	if err != nil {
		return Recovery{}, err
	}
	customers, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		ID          int64
		Name, Email string
	}])
	if err != nil {
		return Recovery{}, err
	}
	if _, err := dst.Exec(ctx, `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL)`); err != nil {
		return Recovery{}, err
	}
	for _, c := range customers {
		if _, err := dst.Exec(ctx, `INSERT INTO customers VALUES ($1, $2, $3)`, c.ID, c.Name, c.Email); err != nil {
			return Recovery{}, err
		}
	}
	if _, err := dst.Exec(ctx, `INSERT INTO customers
SELECT DISTINCT customer_id, 'customer ' || customer_id, customer_id || '@example.org' FROM orders o
WHERE NOT EXISTS (SELECT FROM customers c WHERE c.id = o.customer_id)`); err != nil {
		return Recovery{}, err
	}
	if _, err := dst.Exec(ctx, `DELETE FROM orders WHERE placed_at > $1`, dropped); err != nil {
		return Recovery{}, err
	}
	rto := time.Since(start)
	lost, err := lostOrders(ctx, shop, now.URL)
	return Recovery{Server: now.URL, RTO: rto, Lost: lost}, err
}
