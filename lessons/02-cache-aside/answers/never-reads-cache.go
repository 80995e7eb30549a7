//go:build ignore

// Wrong: every read goes to Postgres and then fills the cache, which nobody
// reads: all the cost of a cache and none of the benefit.
//
//dblings:answer failed over=hash-pipeline assertion="a hit makes no Postgres query" says="expected none"
package cacheaside

import (
	"context"
	"encoding/json"
)

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	u, err := s.load(ctx, id)
	if err != nil {
		return User{}, err
	}
	data, _ := json.Marshal(u)
	return u, s.Cache.Set(ctx, cacheKey(id), data, TTL).Err()
}
