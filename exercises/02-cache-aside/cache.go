// Package cacheaside is lesson 2: read user profiles through a Redis cache,
// and keep the cache honest when a profile changes.
package cacheaside

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// User is one profile of the users table.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ErrNotFound is returned for a user id the table does not have.
var ErrNotFound = errors.New("user not found")

// TTL is how long a cached profile may live: a copy that is somehow missed by
// invalidation is wrong for five minutes at most.
const TTL = 5 * time.Minute

// Store reads and writes profiles: Postgres holds the truth, Redis a copy.
type Store struct {
	DB    *pgxpool.Pool
	Cache *redis.Client
}

// cacheKey names the Redis key of one user's cached profile.
func cacheKey(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// GetUser returns the user with the given id, or ErrNotFound.
//
// TODO: this asks Postgres every time. Read through the cache: look in Redis
// first; on a miss, load from Postgres and store the profile in Redis with a
// TTL. Run `dblings hint cache-aside` if you are stuck.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	return s.load(ctx, id)
}

// UpdateUser changes a user's name and email.
//
// TODO: once GetUser caches, a cached copy must not outlive this change.
func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	tag, err := s.DB.Exec(ctx, `UPDATE users SET name = $2, email = $3, updated_at = now() WHERE id = $1`, id, name, email)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// load reads one user from Postgres.
func (s *Store) load(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.DB.QueryRow(ctx, `SELECT id, name, email, updated_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Name, &u.Email, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}
