//go:build ignore

// Right: no LSN at all. After a write, the session reads on the primary
// for a fixed window (2 s here, as Rails' database selector does by
// default), then goes back to the replica. It is right as long as the
// window is longer than the replica's lag; the LSN says when the replica
// has the write, the window only guesses.
//
//dblings:answer passed
package replicas

import (
	"context"
	"time"
)

// stickFor is how long a session reads on the primary after its write.
const stickFor = 2 * time.Second

type Session struct {
	r     *Router
	until time.Time // reads go to the primary until then
}

func (s *Session) Write(ctx context.Context, sql string, args ...any) error {
	_, err := s.r.primary.Exec(ctx, sql, args...)
	s.until = time.Now().Add(stickFor)
	return err
}

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	if time.Now().Before(s.until) {
		return query(ctx, s.r.primary, sql, args...)
	}
	rctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if rows, err := query(rctx, s.r.replica, sql, args...); err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}
