//go:build ignore

// Wrong: after a write, sleep a little so the replica can catch up, then
// read there. 300 ms covers the lag of a quiet replica, not the second of
// this one: the read still misses the write.
//
//dblings:answer failed assertion="a session reads its own writes" says="missed that write"
package replicas

import (
	"context"
	"time"
)

func (s *Session) Write(ctx context.Context, sql string, args ...any) error {
	_, err := s.r.primary.Exec(ctx, sql, args...)
	if err == nil {
		time.Sleep(300 * time.Millisecond) // give the replica time
	}
	return err
}

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if rows, err := query(rctx, s.r.replica, sql, args...); err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}
