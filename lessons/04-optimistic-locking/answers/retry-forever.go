//go:build ignore

// Wrong: retries until it wins, ignoring maxAttempts: under steady contention
// Update never returns.
//
//dblings:answer failed over=backoff assertion="gives up after maxAttempts" says="only because the other writer stopped"
package optimisticlocking

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	for {
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
}
