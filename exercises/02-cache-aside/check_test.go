//go:build dblings

package cacheaside

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/lessons/02-cache-aside/check"
)

// The check itself is lessons/02-cache-aside/check, compiled once and
// cached; this file hands it your work.
func TestCacheAside(t *testing.T) {
	check.Run(t, check.Exercise{
		NewStore: func(db *pgxpool.Pool, cache *redis.Client) check.Store {
			return checkStore{&Store{DB: db, Cache: cache}}
		},
		ErrNotFound: ErrNotFound,
	})
}

// checkStore is your Store as the check calls it: the same methods, with
// your User converted to the check's copy of it.
type checkStore struct{ *Store }

func (s checkStore) GetUser(ctx context.Context, id int64) (check.User, error) {
	u, err := s.Store.GetUser(ctx, id)
	return check.User(u), err
}
