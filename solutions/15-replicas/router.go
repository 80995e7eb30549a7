// Package replicas is lesson 15: a router that sends writes to the
// primary, reads to a read replica, and still lets a user read what they
// have just written.
package replicas

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// replicaDeadline bounds a read on the replica: a replica that does not
// answer within it is treated as down, and the read goes to the primary.
// It is far above a healthy replica's few milliseconds, above what a
// replica on a busy machine takes (on a loaded CI machine 200 ms sent half
// the reads to the primary), and below what a user waits for.
const replicaDeadline = 500 * time.Millisecond

// lsnDeadline bounds the question whether the replica has a session's
// write: a replica slow to say so is behind for this read, and the primary
// answers. It is shorter than a read's, so that a write and the read of it
// stay quick.
const lsnDeadline = 200 * time.Millisecond

// Router holds the two servers: the primary, which takes every write, and
// a streaming replica of it, which serves reads a little behind.
type Router struct {
	primary *pgxpool.Pool
	replica *pgxpool.Pool
}

// New returns a router over a primary and its replica.
func New(primary, replica *pgxpool.Pool) *Router {
	return &Router{primary: primary, replica: replica}
}

// Session is one user's conversation with the database: what it wrote
// decides where its next reads may go. One session is used by one
// goroutine at a time; the router is shared by all of them.
type Session struct {
	r *Router
	// wrote is where the primary's WAL ended just after this session's
	// last write; "" when the replica is known to have replayed it (or
	// the session never wrote).
	wrote string
}

// Session starts a session for one user.
func (r *Router) Session() *Session {
	return &Session{r: r}
}

// Write runs a statement that changes data on the primary, then notes
// where the WAL ends: the write's commit is before that point, so a
// replica that has replayed up to it shows the write. The insert position,
// not pg_current_wal_lsn(): with synchronous_commit off, the commit can
// still sit in the WAL buffers, ahead of what has been written out.
func (s *Session) Write(ctx context.Context, sql string, args ...any) error {
	if _, err := s.r.primary.Exec(ctx, sql, args...); err != nil {
		return err
	}
	return s.r.primary.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&s.wrote)
}

// Read runs a query on the replica, unless this session wrote something
// the replica has not replayed yet: then on the primary, which has it. A
// replica that fails or does not answer in time is skipped for the
// primary.
func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	if s.wrote != "" {
		if !s.replicaHas(ctx, s.wrote) {
			return query(ctx, s.r.primary, sql, args...)
		}
		s.wrote = "" // replayed: from now on the replica is fresh enough
	}
	rctx, cancel := context.WithTimeout(ctx, replicaDeadline)
	defer cancel()
	rows, err := query(rctx, s.r.replica, sql, args...)
	if err == nil {
		return rows, nil
	}
	return query(ctx, s.r.primary, sql, args...)
}

// replicaHas says whether the replica has replayed the WAL up to lsn. It
// asks once and does not wait: a replica behind, down or slow to answer
// says no.
func (s *Session) replicaHas(ctx context.Context, lsn string) bool {
	ctx, cancel := context.WithTimeout(ctx, lsnDeadline)
	defer cancel()
	var replayed bool
	err := s.r.replica.QueryRow(ctx,
		"SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", lsn).Scan(&replayed)
	return err == nil && replayed
}

// query runs sql on db and returns every row as its column values.
func query(ctx context.Context, db *pgxpool.Pool, sql string, args ...any) ([][]any, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return nil, err
		}
		out = append(out, values)
	}
	return out, rows.Err()
}
