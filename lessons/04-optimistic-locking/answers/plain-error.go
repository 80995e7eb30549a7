//go:build ignore

// Wrong: retries like the right answers, but gives up with an error of its
// own that does not wrap ErrConflict, so callers cannot tell a conflict from
// a failure.
//
//dblings:answer failed over=backoff assertion="gives up after maxAttempts" says="which is not ErrConflict"
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
		if err := change(&a); err != nil {
			return err
		}
		if won, err := casWrite(ctx, db, a, seen); err != nil || won {
			return err
		}
	}
	return fmt.Errorf("account %d: too many conflicts", id)
}
