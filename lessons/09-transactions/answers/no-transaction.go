//go:build ignore

// Wrong: each UPDATE is safe on its own (the debit checks the balance in
// its WHERE clause, so two transfers cannot both take the same money), but
// there is no transaction around the two: when the credit fails, the debit
// is already committed and the money is gone.
//
//dblings:answer failed over=solution assertion="all or nothing when a leg fails" says="was committed before the other failed"
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	tag, err := db.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2`, from, amount)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrInsufficientFunds
	}
	_, err = db.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount)
	return err
}
