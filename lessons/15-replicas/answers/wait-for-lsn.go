//go:build ignore

// Right: after a write, wait for the replica to replay the write's LSN,
// but only briefly (100 ms), then read on the primary. With a replica a
// few milliseconds behind, the wait usually succeeds and the replica
// serves the read; with this one, a second behind, the deadline passes and
// the primary answers in time.
//
//dblings:answer passed over=solution
package replicas

import (
	"context"
	"time"
)

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	if s.wrote != "" {
		if !s.waitReplayed(ctx, s.wrote, 100*time.Millisecond) {
			return query(ctx, s.r.primary, sql, args...)
		}
		s.wrote = ""
	}
	rctx, cancel := context.WithTimeout(ctx, replicaDeadline)
	defer cancel()
	if rows, err := query(rctx, s.r.replica, sql, args...); err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}

// waitReplayed polls the replica until it has replayed lsn or wait has
// passed.
func (s *Session) waitReplayed(ctx context.Context, lsn string, wait time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		var done bool
		err := s.r.replica.QueryRow(ctx, "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", lsn).Scan(&done)
		if err == nil && done {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
}
