//go:build ignore

// TODO explain.
//
//dblings:answer failed over=write-through assertion="the next read sees the update" says="the cache kept the old copy"
package cacheaside

import (
	"context"
)

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	return s.write(ctx, id, name, email)
}
