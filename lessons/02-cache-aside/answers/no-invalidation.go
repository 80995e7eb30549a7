//go:build ignore

// Wrong: the reads go through the cache, but an update only writes Postgres:
// the cached copy keeps serving the old profile until its TTL ends.
//
//dblings:answer failed over=write-through assertion="the next read sees the update" says="the cache kept the old copy"
package cacheaside

import (
	"context"
)

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	return s.write(ctx, id, name, email)
}
