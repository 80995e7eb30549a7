//go:build ignore

// Right: compare-and-set on the version, retried up to maxAttempts times, with
// a random pause of up to a millisecond before each retry so that writers who
// collided do not collide again in lockstep.
//
//dblings:answer passed over=solution
package optimisticlocking

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// casWrite writes a if the version is still the one read, bumping it.
func casWrite(ctx context.Context, db *pgxpool.Pool, a Account, version int64) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1
WHERE id = $1 AND version = $4`, a.ID, a.Owner, a.Balance, version)
	return tag.RowsAffected() == 1, err
}

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	for attempt := range maxAttempts {
		if attempt > 0 {
			select {
			case <-time.After(time.Duration(rand.Int64N(int64(time.Millisecond)))):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
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
	return fmt.Errorf("account %d after %d attempts: %w", id, maxAttempts, ErrConflict)
}
