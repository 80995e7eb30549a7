//go:build dblings

package pooling

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/08-pooling/check"
)

// The check itself is lessons/08-pooling/check, compiled once and cached;
// this file hands it your work, your Profile converted to its own.
func TestPooling(t *testing.T) {
	converted := func(p Profile, err error) (check.Profile, error) {
		return check.Profile{ID: p.ID, Name: p.Name, Email: p.Email, UpdatedAt: p.UpdatedAt}, err
	}
	check.Run(t, check.Exercise{
		NewPool: NewPool,
		GetProfile: func(ctx context.Context, db *pgxpool.Pool, id int64) (check.Profile, error) {
			return converted(GetProfile(ctx, db, id))
		},
		ChangeEmail: func(ctx context.Context, db *pgxpool.Pool, id int64, email string) (check.Profile, error) {
			return converted(ChangeEmail(ctx, db, id, email))
		},
		ErrNotFound: ErrNotFound,
		ErrDamaged:  ErrDamaged,
	})
}
