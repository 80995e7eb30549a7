//go:build ignore

// Wrong: cache-aside with invalidation, but the profile is cached with no
// expiry. A copy that invalidation ever misses stays wrong forever.
//
//dblings:answer failed over=write-through assertion="expires within 5 minutes" says="has no TTL"
package cacheaside

import (
	"context"
)

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if err := s.write(ctx, id, name, email); err != nil {
		return err
	}
	return s.Cache.Del(ctx, cacheKey(id)).Err()
}

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	return s.readThrough(ctx, id, 0)
}
