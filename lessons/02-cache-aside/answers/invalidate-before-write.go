//go:build ignore

// Wrong: the cached copy is deleted before the UPDATE instead of after. A
// read between the two loads the old row from Postgres and caches it again,
// and it stays wrong until the TTL ends.
//
//dblings:answer failed over=write-through assertion="invalidates after the write" says="before the UPDATE had committed"
package cacheaside

import (
	"context"
)

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if err := s.Cache.Del(ctx, cacheKey(id)).Err(); err != nil {
		return err
	}
	return s.write(ctx, id, name, email)
}
