//go:build ignore

// TODO explain.
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
