//go:build ignore

// Right: reads through the cache with TTL; an update takes the new row from
// UPDATE ... RETURNING and writes it to Redis, so the next read is a hit that
// already sees the change.
//
//dblings:answer passed over=hash-pipeline
package cacheaside

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Store) readThrough(ctx context.Context, id int64, ttl time.Duration) (User, error) {
	if data, err := s.Cache.Get(ctx, cacheKey(id)).Bytes(); err == nil {
		var u User
		if json.Unmarshal(data, &u) == nil {
			return u, nil
		}
	}
	u, err := s.load(ctx, id)
	if err != nil {
		return User{}, err
	}
	data, _ := json.Marshal(u)
	return u, s.Cache.Set(ctx, cacheKey(id), data, ttl).Err()
}

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	return s.readThrough(ctx, id, TTL)
}

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	var u User
	err := s.DB.QueryRow(ctx, `UPDATE users SET name = $2, email = $3, updated_at = now() WHERE id = $1
RETURNING id, name, email, updated_at`, id, name, email).Scan(&u.ID, &u.Name, &u.Email, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	data, _ := json.Marshal(u)
	return s.Cache.Set(ctx, cacheKey(id), data, TTL).Err()
}
