//go:build ignore

// Wrong: the transfer is right, but it counts the transfers it served in a
// package variable, for a dashboard, with a plain ++. Eight goroutines
// call Transfer at once: a data race, reported by the race detector even
// when the count happens to come out right. (sync/atomic or a mutex would
// do.)
//
//dblings:answer failed over=solution assertion="no data race" says="a data race: two goroutines"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// served counts the transfers made since the service started.
var served int

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	served++
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		balances := map[int64]int64{}
		for _, id := range []int64{min(from, to), max(from, to)} {
			var b int64
			if err := tx.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1 FOR UPDATE`, id).Scan(&b); err != nil {
				return err
			}
			balances[id] = b
		}
		if balances[from] < amount {
			return ErrInsufficientFunds
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1`, from, amount); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount)
		return err
	})
}
