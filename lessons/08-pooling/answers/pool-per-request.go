//go:build ignore

// Wrong: GetProfile builds a pool for each request from the service's
// settings and closes it at the end. Every pool opens its own connection,
// so a burst of 200 requests is 200 logins: the database runs out of
// connections and the pool saves nothing. The check tells it by the server
// connections the burst was served by, far more than the pool's maximum.
// (How many are open at once depends on how fast the machine opens them:
// on a CI machine at a load of 10, no more than 8 were.)
//
//dblings:answer failed over=solution assertion="connections reused" says="connections were not reused" alone="a login per request floods the server"
package pooling

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, db.Config())
	if err != nil {
		return Profile{}, err
	}
	defer pool.Close()
	var p Profile
	var updated pgtype.Timestamptz
	err = pool.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, err
	}
	return profile(p, updated)
}
