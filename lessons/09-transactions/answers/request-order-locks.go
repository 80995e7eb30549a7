//go:build ignore

// Wrong: a transaction with SELECT ... FOR UPDATE, but the accounts are
// locked in the order of the request, source first. A transfer from A to B
// holds A and waits for B while one from B to A holds B and waits for A:
// Postgres breaks the deadlock by aborting one, and its error reaches the
// caller.
//
//dblings:answer failed over=solution assertion="crossing transfers both go through" says="a deadlock"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		var balance int64
		if err := tx.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1 FOR UPDATE`, from).Scan(&balance); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, to); err != nil {
			return err
		}
		if balance < amount {
			return ErrInsufficientFunds
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1`, from, amount); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount)
		return err
	})
}
