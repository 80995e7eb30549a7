// Package cacheaside is lesson 2: read user profiles through a Redis cache,
// and keep the cache honest when a profile changes.
package cacheaside

import (
	"context"
	"encoding/json"
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
// The cache is only a copy: when Redis has nothing usable, Postgres answers.
// A missing user is not cached, so a user who signs up a second later is
// found at once.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	if u, ok := s.cached(ctx, id); ok {
		return u, nil
	}
	u, err := s.load(ctx, id)
	if err != nil {
		return User{}, err
	}
	// A failed SET costs the next reader one more miss, not a wrong answer,
	// so the user is returned either way.
	if data, err := json.Marshal(u); err == nil {
		s.Cache.Set(ctx, cacheKey(id), data, TTL)
	}
	return u, nil
}

// cached returns the cached copy of a user, if Redis has a readable one.
func (s *Store) cached(ctx context.Context, id int64) (User, bool) {
	data, err := s.Cache.Get(ctx, cacheKey(id)).Bytes()
	if err != nil {
		return User{}, false
	}
	var u User
	if json.Unmarshal(data, &u) != nil {
		return User{}, false
	}
	return u, true
}

// UpdateUser changes a user's name and email.
//
// The key is deleted after the UPDATE has committed, never before: a reader
// running between a DEL and the UPDATE would load the old row and cache it
// again. Deleting rather than writing the new copy leaves the next reader to
// load whatever Postgres holds by then.
func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	tag, err := s.DB.Exec(ctx, `UPDATE users SET name = $2, email = $3, updated_at = now() WHERE id = $1`, id, name, email)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return s.Cache.Del(ctx, cacheKey(id)).Err()
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
