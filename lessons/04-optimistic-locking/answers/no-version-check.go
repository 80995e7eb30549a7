//go:build ignore

// Wrong: the version is bumped but never compared: the UPDATE overwrites
// whatever another writer stored since the read, and deposits are lost.
//
//dblings:answer failed over=backoff assertion="no lost update" says="cents were lost"
package optimisticlocking

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	a, err := read(ctx, db, id)
	if err != nil {
		return err
	}
	if err := change(&a); err != nil {
		return err
	}
	_, err = db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1 WHERE id = $1`, a.ID, a.Owner, a.Balance)
	return err
}
