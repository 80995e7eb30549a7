// Package optimisticlocking is lesson 4: update a bank account from many
// goroutines at once without losing an update and without locking the row.
package optimisticlocking

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Account is one row of the accounts table. Version counts the updates the
// row has had.
type Account struct {
	ID      int64
	Owner   string
	Balance int64 // in cents
	Version int64
}

// ErrConflict says that every attempt lost to a concurrent update of the
// same account. The caller may try again later.
var ErrConflict = errors.New("the account kept changing under us")

// Update reads account id, lets change modify it, and writes the result
// back, without losing an update made by someone else in between.
//
// change may run more than once, each time on a freshly read account, so it
// must do nothing but modify the account it is given. When change returns an
// error, Update returns it and writes nothing. Update tries at most
// maxAttempts times; when every attempt lost to a concurrent update, it
// returns an error that wraps ErrConflict.
//
// TODO: two goroutines can both read balance 100, both add 10 and both
// write 110: one deposit is lost. Write only if the version is still the
// one you read, bump it, and try again when someone else was first. Run
// `dblings hint optimistic-locking` if you are stuck.
func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	var a Account
	err := db.QueryRow(ctx, `SELECT id, owner, balance, version FROM accounts WHERE id = $1`, id).
		Scan(&a.ID, &a.Owner, &a.Balance, &a.Version)
	if err != nil {
		return err
	}
	if err := change(&a); err != nil {
		return err
	}
	_, err = db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3 WHERE id = $1`, a.ID, a.Owner, a.Balance)
	return err
}
