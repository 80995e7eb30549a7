//go:build ignore

// Wrong: cache-aside with invalidation, but the profile is cached for an hour
// instead of TTL: a copy that invalidation misses is wrong for far longer
// than the five minutes allowed.
//
//dblings:answer failed over=write-through assertion="expires within 5 minutes" says="expected at most 300 s"
package cacheaside

import (
	"context"
	"time"
)

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if err := s.write(ctx, id, name, email); err != nil {
		return err
	}
	return s.Cache.Del(ctx, cacheKey(id)).Err()
}

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	return s.readThrough(ctx, id, time.Hour)
}
