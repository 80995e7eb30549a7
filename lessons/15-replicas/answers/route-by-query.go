//go:build ignore

// Wrong: routes by the query instead of by the session: a query about one
// author's own rows (author_id) goes to the primary, everything else to
// the replica. The session finds its comment in its own list, but the
// post's comment count, read right after, misses it.
//
//dblings:answer failed assertion="a session reads its own writes" says="the post's comment count"
package replicas

import (
	"context"
	"strings"
	"time"
)

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	if strings.Contains(sql, "author_id") { // a user's own data: read it fresh
		return query(ctx, s.r.primary, sql, args...)
	}
	rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if rows, err := query(rctx, s.r.replica, sql, args...); err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}
