//go:build ignore

// Right: the deadline bounds only the wait for a connection (Acquire), not
// the query; the connection is released by a defer on every path.
// ChangeEmail is one UPDATE ... RETURNING on the pool: no Acquire at all,
// and Scan gives the connection back whatever happens.
//
//dblings:answer passed over=solution
package pooling

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	wait, cancel := context.WithTimeout(ctx, AcquireTimeout)
	conn, err := db.Acquire(wait)
	cancel()
	if err != nil {
		return Profile{}, fmt.Errorf("no connection for user %d: %w", id, err)
	}
	defer conn.Release()
	var p Profile
	var updated pgtype.Timestamptz
	err = conn.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, err
	}
	return profile(p, updated)
}

func ChangeEmail(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	var p Profile
	err := db.QueryRow(ctx, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1
		RETURNING id, name, email, updated_at`, id, email).Scan(&p.ID, &p.Name, &p.Email, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	return p, err
}
