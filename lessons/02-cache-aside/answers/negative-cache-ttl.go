//go:build ignore

// TODO explain.
//
//dblings:answer passed
package cacheaside

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

func (s *Store) write(ctx context.Context, id int64, name, email string) error {
	tag, err := s.DB.Exec(ctx, `UPDATE users SET name = $2, email = $3, updated_at = now() WHERE id = $1`, id, name, email)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if err := s.write(ctx, id, name, email); err != nil {
		return err
	}
	return s.Cache.Del(ctx, cacheKey(id)).Err()
}

const missing = "missing"

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	if data, err := s.Cache.Get(ctx, cacheKey(id)).Bytes(); err == nil {
		if string(data) == missing {
			return User{}, ErrNotFound
		}
		var u User
		if json.Unmarshal(data, &u) == nil {
			return u, nil
		}
	}
	u, err := s.load(ctx, id)
	if errors.Is(err, ErrNotFound) {
		s.Cache.Set(ctx, cacheKey(id), missing, 30*time.Second)
		return User{}, err
	}
	if err != nil {
		return User{}, err
	}
	data, _ := json.Marshal(u)
	return u, s.Cache.Set(ctx, cacheKey(id), data, TTL).Err()
}
