//go:build ignore

// Wrong: read-your-writes kept for the whole router instead of per
// session: after anyone writes, everyone reads on the primary until the
// replica has caught up. Each session reads its own writes, but with a
// steady trickle of writes the replica is never caught up, and the
// primary serves the whole read-mostly workload.
//
//dblings:answer failed over=solution assertion="reads served by the replica" says="at least 90% belong on the replica"
package replicas

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

type Router struct {
	primary *pgxpool.Pool
	replica *pgxpool.Pool
	mu      sync.Mutex
	wrote   string // the LSN after the last write of any session
}

func (s *Session) Write(ctx context.Context, sql string, args ...any) error {
	if _, err := s.r.primary.Exec(ctx, sql, args...); err != nil {
		return err
	}
	var lsn string
	if err := s.r.primary.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn); err != nil {
		return err
	}
	s.r.mu.Lock()
	s.r.wrote = lsn
	s.r.mu.Unlock()
	return nil
}

func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	s.r.mu.Lock()
	wrote := s.r.wrote
	s.r.mu.Unlock()
	if wrote != "" && !s.replicaHas(ctx, wrote) {
		return query(ctx, s.r.primary, sql, args...)
	}
	rctx, cancel := context.WithTimeout(ctx, replicaDeadline)
	defer cancel()
	if rows, err := query(rctx, s.r.replica, sql, args...); err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}
