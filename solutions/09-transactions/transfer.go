// Package transactions is lesson 9: move money between accounts so that,
// whatever runs at the same time and whatever fails half-way, no money is
// created or lost, no account goes below zero, and a report of the bank's
// total always adds up.
package transactions

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrInsufficientFunds says that the account to take the money from holds
// less than the amount: the transfer was refused and moved nothing.
var ErrInsufficientFunds = errors.New("insufficient funds")

// Transfer moves amount cents (amount > 0) from account from to account to.
// Many transfers run at once, between the same accounts, in both
// directions. A transfer happens entirely or not at all: when it returns
// nil both balances changed, and when it returns an error neither did. It
// returns ErrInsufficientFunds when from holds less than amount.
func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	// One transaction: BeginFunc commits when the function returns nil and
	// rolls back on any error, so a failed second UPDATE undoes the first.
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		// Lock both rows before reading the balance, so that no other
		// transfer can change it between our check and our UPDATE. Every
		// transfer locks the smaller id first: two transfers that cross
		// (A to B, B to A) then queue on the same row instead of each
		// holding the row the other one waits for, which is a deadlock.
		balances := map[int64]int64{}
		for _, id := range []int64{min(from, to), max(from, to)} {
			var b int64
			err := tx.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1 FOR UPDATE`, id).Scan(&b)
			if err != nil {
				return err
			}
			balances[id] = b
		}
		// The balance is ours until we commit: checking it here is safe.
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

// Report is the bank's end-of-day statement.
type Report struct {
	Balances map[int64]int64 // every account's balance in cents, by id
	Total    int64           // the sum of the balances
}

// pageSize is how many accounts one query of the report reads: the real
// bank has millions, too many for one result.
const pageSize = 100

// TakeReport reads every account and adds up the balances, while transfers
// keep running.
func TakeReport(ctx context.Context, db *pgxpool.Pool) (Report, error) {
	var r Report
	// REPEATABLE READ takes one snapshot at the transaction's first query,
	// and every page is read from it: transfers that commit meanwhile are
	// not seen at all, so the pages add up to the bank at one moment. At
	// READ COMMITTED, the default, each query takes a fresh snapshot. A
	// read-only transaction takes no lock and blocks no transfer.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, db, opts, func(tx pgx.Tx) error {
		r = Report{Balances: map[int64]int64{}}
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
	if err != nil {
		return Report{}, err
	}
	return r, nil
}

// forEach scans each row into id and balance, calls fn, and returns how
// many rows there were.
func forEach(rows pgx.Rows, id, balance *int64, fn func()) (int, error) {
	n := 0
	_, err := pgx.ForEachRow(rows, []any{id, balance}, func() error {
		n++
		fn()
		return nil
	})
	return n, err
}
