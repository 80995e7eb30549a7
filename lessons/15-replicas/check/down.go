package check

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// replicaDown builds two more routers over the same primary: one whose
// replica refuses connections (a closed port), one whose replica accepts
// them and never answers (a listener that only holds them). A fresh
// session of each must read a post's title on the primary within
// downLimit.
func replicaDown(t *testing.T, c *checker.Check, ex Exercise, replicaURL string, f *facts) {
	closed := closedPort(c)
	silent := newSilent(t, c)
	for _, tc := range []struct {
		name, how, port string
	}{
		{"replica refused: reads on primary", "refuses connections", closed},
		{"replica silent: reads on primary", "accepts connections and never answers", silent.port()},
	} {
		p := deadPool(t, c, replicaURL, tc.port)
		routes := ex.NewRouter(c.Pool(), p)
		took, err := readTitle(c, routes(), f)
		ok := err == nil && took <= downLimit
		msg := fmt.Sprintf("with a replica that %s, Read answered from the primary in %s", tc.how, took.Round(time.Millisecond))
		switch {
		case err != nil && took >= downWait:
			msg = fmt.Sprintf("with a replica that %s, Read did not answer within %s (%v): give each try on the replica "+
				"a short deadline (context.WithTimeout), then read on the primary", tc.how, downWait, err)
		case err != nil:
			msg = fmt.Sprintf("with a replica that %s, Read failed after %s: %v. When the replica fails, read on the primary",
				tc.how, took.Round(time.Millisecond), err)
		case !ok:
			msg = fmt.Sprintf("with a replica that %s, Read answered after %s, more than %s: the replica's deadline is too long",
				tc.how, took.Round(time.Millisecond), downLimit)
		}
		c.Assert(tc.name, ok, msg, checker.Evidence{Counts: map[string]int64{"ms": took.Milliseconds()}})
	}
	silent.close()
}

// readTitle reads a post's title through the session and compares it with
// the check's own; a wrong title is an error.
func readTitle(c *checker.Check, s Session, f *facts) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(c.Ctx(), downWait)
	defer cancel()
	want := f.pages[0]
	start := time.Now()
	rows, err := s.Read(ctx, titleQuery, want.post)
	took := time.Since(start)
	if err == nil && !(len(rows) == 1 && len(rows[0]) == 1 && rows[0][0] == want.title) {
		err = fmt.Errorf("the title of post %d came back as %v, not %q", want.post, rows, want.title)
	}
	return took, err
}

// deadPool is a pool like the replica's whose server is at port on this
// machine. It connects lazily, so making it never fails.
func deadPool(t *testing.T, c *checker.Check, replicaURL, port string) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(replicaURL)
	c.RequireNoError("read the replica's URL", err)
	n, err := strconv.ParseUint(port, 10, 16)
	c.RequireNoError("read a port", err)
	cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Fallbacks = "127.0.0.1", uint16(n), nil
	p, err := pgxpool.NewWithConfig(c.Ctx(), cfg)
	c.RequireNoError("open a pool on a dead replica", err)
	t.Cleanup(p.Close) // replicaDown closes the silent replica first: no connection attempt is left waiting
	return p
}

// closedPort is a port on this machine where nothing listens.
func closedPort(c *checker.Check) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	c.RequireNoError("find a closed port", err)
	_, port, _ := net.SplitHostPort(l.Addr().String())
	c.RequireNoError("find a closed port", l.Close())
	return port
}

// silent is a server that accepts connections and never answers: a
// replica that hangs.
type silent struct {
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newSilent(t *testing.T, c *checker.Check) *silent {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	c.RequireNoError("start a silent replica", err)
	s := &silent{l: l}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, conn)
			s.mu.Unlock()
		}
	}()
	t.Cleanup(s.close)
	return s
}

func (s *silent) port() string {
	_, port, _ := net.SplitHostPort(s.l.Addr().String())
	return port
}

// close stops listening and drops the connections it held, so that any
// attempt still waiting on them ends.
func (s *silent) close() {
	s.l.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, conn := range s.conns {
		conn.Close()
	}
	s.conns = nil
}
