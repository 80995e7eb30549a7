//go:build ignore

// Wrong: change's error is kept and returned, but only after the write: the
// caller is told no, and the account holds the change it refused.
//
//dblings:answer failed over=backoff assertion="a refused change writes nothing" says="Update wrote a change the caller refused"
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
		seen := a.Version
		changeErr := change(&a)
		won, err := casWrite(ctx, db, a, seen)
		if err != nil {
			return err
		}
		if won {
			return changeErr
		}
	}
	return fmt.Errorf("account %d after %d attempts: %w", id, maxAttempts, ErrConflict)
}
