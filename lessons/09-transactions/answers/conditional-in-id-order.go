//go:build ignore

// Right: no SELECT at all. The debit checks the balance itself (WHERE
// balance >= amount) and the two UPDATEs run in one transaction, the
// smaller id first, so crossing transfers queue instead of deadlocking.
// A debit that matches no row means insufficient funds: returning the
// error rolls back a credit made before it. The report is one statement,
// and one statement always sees one snapshot.
//
//dblings:answer passed over=solution
package transactions

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		debit := func() error {
			tag, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2`, from, amount)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return ErrInsufficientFunds
			}
			return nil
		}
		credit := func() error {
			_, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount)
			return err
		}
		first, second := debit, credit
		if to < from {
			first, second = credit, debit
		}
		if err := first(); err != nil {
			return err
		}
		return second()
	})
}

func TakeReport(ctx context.Context, db *pgxpool.Pool) (Report, error) {
	rows, err := db.Query(ctx, `SELECT id, balance FROM accounts`)
	if err != nil {
		return Report{}, err
	}
	r := Report{Balances: map[int64]int64{}}
	var id, balance int64
	if _, err := forEach(rows, &id, &balance, func() {
		r.Balances[id] = balance
		r.Total += balance
	}); err != nil {
		return Report{}, err
	}
	return r, nil
}
