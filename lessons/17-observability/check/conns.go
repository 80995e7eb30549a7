package check

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/lessons/17-observability/workload"
)

// countConns is the check's own count: the sessions connected to this
// database, whatever their state.
const countConns = checkMark + ` SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()`

// checkConnections holds some of the pool's connections, as busy handlers
// would, and asks Connections how many sessions this database has and how
// large the pool may grow. The count is compared with the check's own
// before and after the call: the learner's own connection may be opened by
// the call itself.
func checkConnections(ctx context.Context, c *checker.Check, ex Exercise, plan workload.Plan) {
	var held []*pgxpool.Conn
	defer func() {
		for _, h := range held {
			h.Release()
		}
	}()
	for range plan.Held {
		conn, err := c.Pool().Acquire(ctx)
		c.RequireNoError("hold a connection of the pool", err)
		held = append(held, conn)
		c.RequireNoError("hold a connection of the pool", conn.Ping(ctx))
	}
	var before, after int
	c.RequireNoError("count this database's sessions", c.Admin().QueryRow(ctx, countConns).Scan(&before))
	got, err := ex.Connections(ctx, c.Pool())
	c.RequireNoError("Connections runs", err)
	c.RequireNoError("count this database's sessions", c.Admin().QueryRow(ctx, countConns).Scan(&after))

	poolMax := c.Pool().Config().MaxConns
	lo, hi := min(before, after), max(before, after)
	countOK := got.Open >= lo && got.Open <= hi
	ok := countOK && got.PoolMax == poolMax
	msg := fmt.Sprintf("Connections found %d sessions on this database against a pool of at most %d", got.Open, got.PoolMax)
	switch {
	case !countOK && got.Open > hi:
		msg = fmt.Sprintf("Connections returned %d open connections, but this database has %d sessions (pg_stat_activity where datname = current_database()): the rest belong to other databases or are the server's own background processes", got.Open, hi)
	case !countOK:
		msg = fmt.Sprintf("Connections returned %d open connections, but this database has %d sessions in pg_stat_activity, idle ones included: a pooled connection holds a server session whether or not it runs a statement", got.Open, lo)
	case !ok:
		msg = fmt.Sprintf("Connections returned a pool size of %d, but this pool may open up to %d connections (its configuration's MaxConns); how many it has open now is another number", got.PoolMax, poolMax)
	}
	c.Assert(connsName, ok, msg, checker.Evidence{Counts: map[string]int64{
		"returned_open": int64(got.Open), "sessions_before": int64(before), "sessions_after": int64(after),
		"returned_pool_max": int64(got.PoolMax), "pool_max": int64(poolMax), "held_by_check": int64(plan.Held),
	}})
}
