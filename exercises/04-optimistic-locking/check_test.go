//go:build dblings

package optimisticlocking

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/04-optimistic-locking/check"
)

// The check itself is lessons/04-optimistic-locking/check, compiled once and
// cached; this file hands it your work. Your Update gets a change that
// copies the account to the check's Account and back.
func TestOptimisticLocking(t *testing.T) {
	update := func(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*check.Account) error) error {
		return Update(ctx, db, id, maxAttempts, func(a *Account) error {
			ca := check.Account(*a)
			err := change(&ca)
			*a = Account(ca)
			return err
		})
	}
	check.Run(t, check.Exercise{Update: update, ErrConflict: ErrConflict})
}
