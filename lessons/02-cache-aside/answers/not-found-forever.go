//go:build ignore

// Wrong: "not found" is cached, but with no expiry. A user who signs up later
// with that id stays invisible for good.
//
//dblings:answer failed over=negative-cache-ttl assertion=`"not found" is not cached forever` says=`stays "not found" forever`
package cacheaside

import (
	"context"
	"encoding/json"
	"errors"
)

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
		s.Cache.Set(ctx, cacheKey(id), missing, 0)
		return User{}, err
	}
	if err != nil {
		return User{}, err
	}
	data, _ := json.Marshal(u)
	return u, s.Cache.Set(ctx, cacheKey(id), data, TTL).Err()
}
