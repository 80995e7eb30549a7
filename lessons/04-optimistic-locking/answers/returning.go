//go:build ignore

// TODO explain.
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

// casWrite writes a if the version is still the one read, bumping it.
func casWrite(ctx context.Context, db *pgxpool.Pool, a Account, version int64) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1
WHERE id = $1 AND version = $4`, a.ID, a.Owner, a.Balance, version)
	return tag.RowsAffected() == 1, err
}

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
