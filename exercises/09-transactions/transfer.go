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
//
// TODO: the check of the balance and the two UPDATEs each run on their own.
// Two transfers can both see enough money and both take it; a failure
// between the two UPDATEs loses money. Make it one transaction that cannot
// overdraw an account, deadlock, or fail for a reason the caller cannot act
// on. Run `dblings hint transactions` if you are stuck.
func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	var balance int64
	err := db.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1`, from).Scan(&balance)
	if err != nil {
		return err
	}
	if balance < amount {
		return ErrInsufficientFunds
	}
	if _, err := db.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1`, from, amount); err != nil {
		return err
	}
	_, err = db.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount)
	return err
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
//
// TODO: each page is read at a different moment. A transfer that commits
// between two pages is counted on one side and not the other, and the total
// is wrong. Read every page from the same snapshot.
func TakeReport(ctx context.Context, db *pgxpool.Pool) (Report, error) {
	r := Report{Balances: map[int64]int64{}}
	var after int64
	for {
		rows, err := db.Query(ctx, `SELECT id, balance FROM accounts WHERE id > $1 ORDER BY id LIMIT $2`, after, pageSize)
		if err != nil {
			return Report{}, err
		}
		var id, balance int64
		n, err := forEach(rows, &id, &balance, func() {
			r.Balances[id] = balance
			r.Total += balance
			after = id
		})
		if err != nil {
			return Report{}, err
		}
		if n < pageSize {
			return r, nil
		}
	}
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
