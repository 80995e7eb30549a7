//go:build ignore

// Wrong: one transaction, so a failure rolls everything back, but the
// balance is read without a lock at READ COMMITTED. Two transfers both read
// enough money; the second UPDATE waits for the first, then subtracts again
// from the new balance, and the account goes below zero.
//
//dblings:answer failed over=solution assertion="two transfers race for one balance" says="each checked the balance before the other"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		var balance int64
		if err := tx.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1`, from).Scan(&balance); err != nil {
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
