//go:build ignore

// Wrong: retries the write with a fresh version number but the account it
// changed before: the other writer's change is overwritten, and change never
// runs again on the new balance.
//
//dblings:answer failed over=backoff assertion="conflicts detected and retried" says="change ran only once per Update"
package optimisticlocking

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	a, err := read(ctx, db, id)
	if err != nil {
		return err
	}
	seen := a.Version
	if err := change(&a); err != nil {
		return err
	}
	for range maxAttempts {
		won, err := casWrite(ctx, db, a, seen)
		if err != nil || won {
			return err
		}
		if err := db.QueryRow(ctx, `SELECT version FROM accounts WHERE id = $1`, id).Scan(&seen); err != nil {
			return err
		}
	}
	return fmt.Errorf("account %d: %w", id, ErrConflict)
}
