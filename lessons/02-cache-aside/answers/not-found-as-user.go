//go:build ignore

// Wrong: a miss is cached whatever load returned, so for an unknown id the
// empty User is cached, and the next read returns it as if the user existed.
//
//dblings:answer failed over=hash-pipeline assertion="an unknown user is ErrNotFound" says="read back as a user"
package cacheaside

import (
	"context"
	"encoding/json"
)

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	if data, err := s.Cache.Get(ctx, cacheKey(id)).Bytes(); err == nil {
		var u User
		if json.Unmarshal(data, &u) == nil {
			return u, nil
		}
	}
	u, err := s.load(ctx, id)
	data, _ := json.Marshal(u)
	s.Cache.Set(ctx, cacheKey(id), data, TTL)
	return u, err
}
