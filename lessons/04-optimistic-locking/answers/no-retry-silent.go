//go:build ignore

// TODO explain.
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
