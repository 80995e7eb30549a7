//go:build ignore

// Wrong: a cache in a Go map behind a mutex. It is fast and even invalidated,
// but it lives in one process: every other server of the site keeps its own
// stale copy, and Redis is never asked.
//
//dblings:answer failed over=hash-pipeline assertion="a miss fills the cache in Redis" says="no Redis command"
package cacheaside

import (
	"context"
	"sync"
)

var (
	mu    sync.Mutex
	cache = map[int64]User{}
)

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	mu.Lock()
	u, ok := cache[id]
	mu.Unlock()
	if ok {
		return u, nil
	}
	u, err := s.load(ctx, id)
	if err != nil {
		return User{}, err
	}
	mu.Lock()
	cache[id] = u
	mu.Unlock()
	return u, nil
}

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if err := s.write(ctx, id, name, email); err != nil {
		return err
	}
	mu.Lock()
	delete(cache, id)
	mu.Unlock()
	return nil
}
