//go:build ignore

// Right: cache-aside with JSON values, and "not found" cached too, for 30
// seconds: repeated lookups of a missing id stay off Postgres, and a user
// who signs up with that id is seen soon after.
//
//dblings:answer passed over=hash-pipeline
package cacheaside

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

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
