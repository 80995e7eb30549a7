// Package pooling is lesson 8: serve a burst of requests from a bounded pool
// of connections that are opened once, reused, waited for with a deadline
// and always given back, even when a request fails.
package pooling

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Budget is how many connections the database grants this service. The
// database has other clients: ask for more and it refuses them ("too many
// connections").
const Budget = 20

// AcquireTimeout is the longest a request may wait for a free connection.
// A request that waits longer fails, so that a caller gets an answer ("try
// again") instead of a hung request.
const AcquireTimeout = time.Second

// ErrNotFound says that no user has the id asked for (HTTP 404).
var ErrNotFound = errors.New("no such user")

// ErrDamaged says that a user's row cannot be shown: an old import wrote
// 'infinity' as the time of its last update, which no time.Time can hold.
// Support repairs such rows by hand; until then the API answers 500.
var ErrDamaged = errors.New("damaged profile: its update time is not a date")

// Profile is one user, as the service's API returns it.
type Profile struct {
	ID        int64
	Name      string
	Email     string
	UpdatedAt time.Time
}

// profileQuery reads one user.
const profileQuery = `SELECT id, name, email, updated_at FROM users WHERE id = $1`

// profile builds a Profile from a row, whose update time is scanned into a
// pgtype.Timestamptz because it may be 'infinity'.
func profile(p Profile, updated pgtype.Timestamptz) (Profile, error) {
	if updated.InfinityModifier != pgtype.Finite {
		return Profile{}, fmt.Errorf("user %d: %w", p.ID, ErrDamaged)
	}
	p.UpdatedAt = updated.Time
	return p, nil
}

// NewPool builds the service's connection pool, once, when the service
// starts. cfg says where the database is and carries the settings every
// connection needs; it comes with pgxpool's default sizes.
//
// TODO: size the pool for the service (see Budget): its maximum, how many
// connections it keeps open when quiet, how long a connection may live.
// Run `dblings hint pooling` if you are stuck.
func NewPool(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	return pgxpool.NewWithConfig(ctx, cfg)
}

// GetProfile serves GET /users/{id}. Hundreds of them arrive at once.
//
// TODO: this handler was written before the service had a pool: it opens a
// connection of its own for every request. Serve it from db, and wait at
// most AcquireTimeout for a connection.
func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	conn, err := pgx.ConnectConfig(ctx, db.Config().ConnConfig)
	if err != nil {
		return Profile{}, err
	}
	defer conn.Close(ctx)
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

// ChangeEmail serves PUT /users/{id}/email and returns the updated profile.
// E-mails are unique: an address another user has is refused (HTTP 409).
//
// TODO: when the UPDATE fails, the connection never goes back to the pool.
// A few refused e-mails and the pool is empty. Wait at most AcquireTimeout
// here too.
func ChangeEmail(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error) {
	conn, err := db.Acquire(ctx)
	if err != nil {
		return Profile{}, err
	}
	tag, err := conn.Exec(ctx, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, id, email)
	if err != nil {
		return Profile{}, fmt.Errorf("change the e-mail of user %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		conn.Release()
		return Profile{}, ErrNotFound
	}
	var p Profile
	var updated pgtype.Timestamptz
	err = conn.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated)
	conn.Release()
	if err != nil {
		return Profile{}, err
	}
	return profile(p, updated)
}
