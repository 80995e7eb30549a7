//go:build ignore

// Wrong: the solution without a way around a failed replica. When the
// replica is down, every read fails, although the primary could answer.
//
//dblings:answer failed over=solution assertion="replica refused" says="When the replica fails, read on the primary"
package replicas

import "context"

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	if s.wrote != "" {
		if !s.replicaHas(ctx, s.wrote) {
			return query(ctx, s.r.primary, sql, args...)
		}
		s.wrote = ""
	}
	rctx, cancel := context.WithTimeout(ctx, replicaDeadline)
	defer cancel()
	return query(rctx, s.r.replica, sql, args...)
}
