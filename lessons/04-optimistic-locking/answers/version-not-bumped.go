//go:build ignore

// Wrong: compares the version but never increments it, so a second writer
// holding the same version still matches and overwrites the first.
//
//dblings:answer failed over=backoff assertion="version advanced once per update" says="went from version 0 to 0"
package optimisticlocking

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	for range maxAttempts {
		a, err := read(ctx, db, id)
		if err != nil {
			return err
		}
		if err := change(&a); err != nil {
			return err
		}
		tag, err := db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3 WHERE id = $1 AND version = $4`, a.ID, a.Owner, a.Balance, a.Version)
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
	}
	return fmt.Errorf("account %d: %w", id, ErrConflict)
}
