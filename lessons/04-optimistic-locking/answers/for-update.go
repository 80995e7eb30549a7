//go:build ignore

// Wrong: SELECT ... FOR UPDATE in a transaction. No update is lost, but that
// is pessimistic locking: every writer waits on the row lock, which is what
// the lesson asks to avoid.
//
//dblings:answer failed over=backoff assertion="no row locks" says="pessimistic locking"
package optimisticlocking

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		var a Account
		err := tx.QueryRow(ctx, `SELECT id, owner, balance, version FROM accounts WHERE id = $1 FOR UPDATE`, id).
			Scan(&a.ID, &a.Owner, &a.Balance, &a.Version)
		if err != nil {
			return err
		}
		if err := change(&a); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1 WHERE id = $1`, a.ID, a.Owner, a.Balance)
		return err
	})
}
