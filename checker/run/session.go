package run

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// session is the runner's one superuser session on a server for one
// check. Sweeping roles, finding the data set's template, cloning it,
// handing the clone to the learner's role, waiting for the check's
// sessions to end and dropping it all take turns on it, where each step
// used to open a session of its own: a session costs the server a
// process, whose start took 20 ms of CPU on a quiet 2-core machine and 60
// to 90 ms on a loaded one, and a check opened a dozen.
//
// It connects on first use and again after the server closed it (pgx
// closes a connection whose query was cancelled, such as a wait that ran
// out of time), so that release can still clean up.
type session struct {
	url  string // the server's superuser URL, on its admin database
	mu   sync.Mutex
	conn *pgx.Conn
}

// do runs fn on the session, one caller at a time.
func (s *session) do(ctx context.Context, fn func(*pgx.Conn) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil || s.conn.IsClosed() {
		conn, err := pgx.Connect(ctx, s.url)
		if err != nil {
			return err
		}
		s.conn = conn
	}
	return fn(s.conn)
}

// close ends the session.
func (s *session) close(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		_ = s.conn.Close(ctx)
		s.conn = nil
	}
}
