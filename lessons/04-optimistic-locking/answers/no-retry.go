//go:build ignore

// Wrong: a lost compare-and-set is reported as ErrConflict at once instead of
// being retried, so under contention most updates fail that a retry would
// have saved.
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
	won, err := casWrite(ctx, db, a, seen)
	if err == nil && !won {
		return fmt.Errorf("account %d: %w", id, ErrConflict)
	}
	return err
}
