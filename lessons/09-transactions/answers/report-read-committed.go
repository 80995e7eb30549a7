//go:build ignore

// Wrong: the report's pages are read in one transaction, but at READ
// COMMITTED, the default. A transaction does not freeze what it reads:
// each statement takes a fresh snapshot, so a transfer that commits
// between two pages is seen on one side only.
//
//dblings:answer failed over=solution assertion="the report adds up while transfers commit" says="READ COMMITTED, the default, where every statement takes a fresh snapshot"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TakeReport(ctx context.Context, db *pgxpool.Pool) (Report, error) {
	r := Report{Balances: map[int64]int64{}}
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		var after int64
		for {
			rows, err := tx.Query(ctx, `SELECT id, balance FROM accounts WHERE id > $1 ORDER BY id LIMIT $2`, after, pageSize)
			if err != nil {
				return err
			}
			var id, balance int64
			n, err := forEach(rows, &id, &balance, func() {
				r.Balances[id] = balance
				r.Total += balance
				after = id
			})
			if err != nil {
				return err
			}
			if n < pageSize {
				return nil
			}
		}
	})
	return r, err
}
