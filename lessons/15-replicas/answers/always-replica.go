//go:build ignore

// Wrong: every read on the replica, the router of the textbook diagram. It
// scales reads, but a user who has just posted a comment reads the list
// before the replica has applied it, and does not find their comment.
//
//dblings:answer failed assertion="a session reads its own writes" says="missed that write"
package replicas

import "context"

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	return query(ctx, s.r.replica, sql, args...)
}
