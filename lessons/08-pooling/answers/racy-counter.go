//go:build ignore

// Wrong: to watch "connection count vs pool size", GetProfile counts the
// requests in flight in a package variable with ++ and --. Hundreds of
// handlers run at once and touch it with no lock: a data race, which the
// race detector reports even when the counts happen to come out right.
// (pool.Stat() already counts the connections in use.)
//
//dblings:answer failed over=solution assertion="no data race" says="a data race: two goroutines"
package pooling

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// inFlight counts the GetProfile requests being served.
var inFlight int

func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	inFlight++
	defer func() { inFlight-- }()
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	var p Profile
	var updated pgtype.Timestamptz
	err := db.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, err
	}
	return profile(p, updated)
}
