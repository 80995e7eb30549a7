//go:build ignore

// Wrong: SERIALIZABLE, the strictest isolation, and no lock: Postgres
// detects that two transfers took the same money and aborts one with a
// serialization failure (40001). That is the database doing its job; the
// code's job is to run the transaction again, and this code hands the
// error to the caller instead.
//
//dblings:answer failed over=solution assertion="two transfers race for one balance" says="SQLSTATE 40001"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	return pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
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
