// Package optimisticlocking is lesson 4: update a bank account from many
// goroutines at once without losing an update and without locking the row.
package optimisticlocking

import (
	"context"
	"errors"
	"fmt"

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
// No lock is taken: each attempt reads the row, and its write succeeds only
// if the version is still the one it read. Losing is cheap and rare when
// writers seldom meet, which is when optimistic locking pays off.
func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	for range maxAttempts {
		a, err := read(ctx, db, id)
		if err != nil {
			return err
		}
		// change may touch Version too: the write must compare with the
		// version that was read.
		version := a.Version
		if err := change(&a); err != nil {
			return err
		}
		won, err := write(ctx, db, a, version)
		if err != nil || won {
			return err
		}
	}
	return fmt.Errorf("update account %d: %d attempts: %w", id, maxAttempts, ErrConflict)
}

func read(ctx context.Context, db *pgxpool.Pool, id int64) (Account, error) {
	var a Account
	err := db.QueryRow(ctx, `SELECT id, owner, balance, version FROM accounts WHERE id = $1`, id).
		Scan(&a.ID, &a.Owner, &a.Balance, &a.Version)
	return a, err
}

// write stores a if the row still has the version that was read, and bumps
// the version so that every other writer holding the old one loses. No row
// matched means someone else wrote first.
func write(ctx context.Context, db *pgxpool.Pool, a Account, version int64) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1
WHERE id = $1 AND version = $4`, a.ID, a.Owner, a.Balance, version)
	return tag.RowsAffected() == 1, err
}
