//go:build ignore

// Wrong: falls back to the primary when the replica fails, but gives the
// replica all the time the caller has. A replica that refuses connections
// fails at once and is handled; one that accepts and hangs holds the read
// until the caller gives up.
//
//dblings:answer failed over=solution assertion="replica silent" says="give each try on the replica a short deadline"
package replicas

import "context"

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	if s.wrote != "" {
		if !s.replicaHas(ctx, s.wrote) {
			return query(ctx, s.r.primary, sql, args...)
		}
		s.wrote = ""
	}
	if rows, err := query(ctx, s.r.replica, sql, args...); err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}
