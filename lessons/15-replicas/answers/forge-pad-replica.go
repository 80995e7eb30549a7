//go:build ignore

// Forged: every read is served by the primary, but the router also sends
// each query to the replica ten times and throws the rows away, so that a
// count of the replica's statements looks like a replica doing the work.
// The servers count the primary's statements too: the primary served the
// whole workload.
//
//dblings:answer failed assertion="reads served by the replica" says="no more than 15% on the primary"
package replicas

import "context"

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	for range 10 {
		query(ctx, s.r.replica, sql, args...)
	}
	return query(ctx, s.r.primary, sql, args...)
}
