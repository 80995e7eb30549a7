//go:build ignore

// Wrong: the transfer itself is right (both rows locked in id order), but
// the transaction is managed by hand and the refusal path returns
// ErrInsufficientFunds without a Rollback. The transaction stays open on
// its connection, holding the row lock, and the connection never goes
// back to the pool.
//
//dblings:answer failed over=solution assertion="every transaction ended" says="a transaction left open"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	balances := map[int64]int64{}
	for _, id := range []int64{min(from, to), max(from, to)} {
		var b int64
		if err := tx.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1 FOR UPDATE`, id).Scan(&b); err != nil {
			tx.Rollback(ctx)
			return err
		}
		balances[id] = b
	}
	if balances[from] < amount {
		return ErrInsufficientFunds
	}
	if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1`, from, amount); err != nil {
		tx.Rollback(ctx)
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount); err != nil {
		tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}
