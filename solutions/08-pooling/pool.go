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
func NewPool(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	// Never more connections than the database grants us: past the
	// maximum, requests wait for a connection instead of asking the
	// database for one more. Each query takes well under a millisecond,
	// so a handful of connections serve hundreds of requests a second.
	cfg.MaxConns = 10
	// Keep a few open when the service is quiet, so the first requests of
	// a burst do not each pay for a new connection.
	cfg.MinConns = 2
	// Retire connections now and then (a server restart, a failover, a
	// memory-hungry backend), and close the ones a burst opened once they
	// have been idle a while. Both are far longer than a request.
	cfg.MaxConnLifetime = 30 * time.Minute
	cfg.MaxConnIdleTime = 5 * time.Minute
	return pgxpool.NewWithConfig(ctx, cfg)
}

// GetProfile serves GET /users/{id}. Hundreds of them arrive at once.
func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	// The deadline bounds the wait for a connection: when every connection
	// is busy for longer than that, the request fails instead of hanging.
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	// QueryRow borrows a connection and Scan gives it back, on every path.
	var p Profile
	var updated pgtype.Timestamptz
	err := db.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, fmt.Errorf("read user %d: %w", id, err)
	}
	return profile(p, updated)
}

// ChangeEmail serves PUT /users/{id}/email and returns the updated profile.
// E-mails are unique: an address another user has is refused (HTTP 409).
func ChangeEmail(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	conn, err := db.Acquire(ctx)
	if err != nil {
		return Profile{}, err
	}
	// Deferred right after a successful Acquire: every return below, the
	// error paths included, gives the connection back.
	defer conn.Release()
	tag, err := conn.Exec(ctx, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, id, email)
	if err != nil {
		return Profile{}, fmt.Errorf("change the e-mail of user %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return Profile{}, ErrNotFound
	}
	var p Profile
	var updated pgtype.Timestamptz
	if err := conn.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated); err != nil {
		return Profile{}, err
	}
	return profile(p, updated)
}
