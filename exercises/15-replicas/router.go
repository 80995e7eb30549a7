// Package replicas is lesson 15: a router that sends writes to the
// primary, reads to a read replica, and still lets a user read what they
// have just written.
package replicas

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

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
}

// Session starts a session for one user.
func (r *Router) Session() *Session {
	return &Session{r: r}
}

// Write runs a statement that changes data (INSERT, UPDATE, DELETE). It
// must go to the primary: the replica is read-only.
func (s *Session) Write(ctx context.Context, sql string, args ...any) error {
	_, err := s.r.primary.Exec(ctx, sql, args...)
	return err
}

// Read runs a query and returns its rows.
//
// TODO: send reads to the replica, so that the primary keeps its strength
// for writes; but after this session has written, read its own write (on
// the primary, or on the replica once it has replayed that write), and
// when the replica fails or does not answer, read on the primary within a
// short deadline. Run `dblings hint replicas` if you are stuck.
func (s *Session) Read(ctx context.Context, sql string, args ...any) ([][]any, error) {
	return query(ctx, s.r.primary, sql, args...)
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
