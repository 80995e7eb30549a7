//go:build ignore

// Right: the compare-and-set as one UPDATE ... WHERE version = $4 RETURNING
// version; no row back means another writer was first, and the attempt is
// retried.
//
//dblings:answer passed over=solution
package optimisticlocking

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		a, err := read(ctx, db, id)
		if err != nil {
			return err
		}
		seen := a.Version
		if err := change(&a); err != nil {
			return err
		}
		err = db.QueryRow(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = $4 + 1
WHERE id = $1 AND version = $4 RETURNING version`, a.ID, a.Owner, a.Balance, seen).Scan(&a.Version)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		return err
	}
	return fmt.Errorf("account %d: %w", id, ErrConflict)
}
