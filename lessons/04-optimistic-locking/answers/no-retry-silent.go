//go:build ignore

// Wrong: the version is checked, but a write that loses is neither retried
// nor reported: Update returns nil and the deposit is silently dropped.
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
	seen := a.Version
	if err := change(&a); err != nil {
		return err
	}
	_, err = casWrite(ctx, db, a, seen)
	return err
}
