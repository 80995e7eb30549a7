package checker

import (
	"context"
	"net"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ByteCounter counts the bytes the server sent to the connections of a
// pool: rows, and everything else the protocol carries with them (row
// descriptions, command tags, the messages of connecting). It is safe for
// concurrent use. Get one with [Check.CountingPool].
type ByteCounter struct{ n atomic.Int64 }

// Received returns the bytes received since the pool opened or since the
// last [ByteCounter.Reset].
func (b *ByteCounter) Received() int64 { return b.n.Load() }

// Reset starts the count again from zero, so that a check can measure what
// one call of the learner's code received.
func (b *ByteCounter) Reset() { b.n.Store(0) }

// countingConn is a connection that adds what it reads to a counter.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// CountingPool returns a second pool on the learner's database, built like
// [Check.Pool] and traced into the same [Check.QueryLog], whose connections
// also count the bytes the server sends them. Hand it to the learner's
// code when what crosses the network is the point: the query log's command
// tags say how many rows came back ([QueryLog.RowsReceived]), the counter
// how wide they were, so that one row holding a whole table in an array
// does not pass for one small row.
//
// The pool is the learner's like [Check.Pool]: when the test ends, a
// connection still checked out of it fails the check as a leak, and the
// pool is closed.
func (c *Check) CountingPool() (*pgxpool.Pool, *ByteCounter) {
	c.t.Helper()
	cfg := c.pool.Config()
	counter := &ByteCounter{}
	dial := cfg.ConnConfig.DialFunc
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: conn, n: &counter.n}, nil
	}
	pool, err := pgxpool.NewWithConfig(c.ctx, cfg)
	if err != nil {
		c.t.Fatalf("the check's counting pool: %v", err)
	}
	// Cleanups run last registered first: this one runs before the
	// check's own Close, while the report is still open.
	c.t.Cleanup(func() {
		if n := settledAcquired(pool); n > 0 {
			c.Assert("no leaked connections", false, leakMessage("database pool", n),
				Evidence{Counts: map[string]int64{"acquired_conns": int64(n)}})
			closeWithin(pool.Close, leakedCloseWait)
			return
		}
		closeWithin(pool.Close, closeWait)
	})
	return pool, counter
}

// RowsReceived returns how many rows the server sent back for the
// statements that pass every filter, as their command tags count them: the
// rows of every SELECT and FETCH, whether or not the learner's code read
// them all. CREATE TABLE AS and CREATE MATERIALIZED VIEW, whose tags also
// say SELECT, store their rows and send none. Statements still running
// count nothing yet.
func (l *QueryLog) RowsReceived(filters ...Filter) int64 {
	var n int64
	for _, q := range l.Queries(filters...) {
		tag := strings.ToUpper(q.Tag.String())
		stores := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q.SQL)), "CREATE")
		if (strings.HasPrefix(tag, "SELECT") || strings.HasPrefix(tag, "FETCH")) && !stores {
			n += q.Tag.RowsAffected()
		}
	}
	return n
}
