package checker

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/contract"
)

// Application names, so that pg_stat_activity tells the learner's sessions
// from the checker's own.
const (
	LearnerApp = "dblings-learner"
	CheckerApp = "dblings-checker"
)

const (
	// leakSettle is how long a pool may take to see its last connection
	// released before the check calls it leaked.
	leakSettle = 250 * time.Millisecond
	// closeWait bounds pool.Close, which blocks until every connection is
	// back: a leaked one never comes back.
	closeWait = 5 * time.Second
	// leakedCloseWait is enough for a leaky pool to close its idle
	// connections; waiting longer cannot help.
	leakedCloseWait = 500 * time.Millisecond
)

// Check is one lesson check: the learner's traced database handles, the
// checker's own untraced ones, and the assertions that write the report.
// Build it with [New].
type Check struct {
	t      *testing.T
	cfg    config
	seed   uint64
	report *reportFile
	ctx    context.Context
	cancel context.CancelFunc

	pool    *pgxpool.Pool
	queries *QueryLog
	admin   *pgxpool.Pool
	// The shards' traced pools, logs and untraced pools, by shard index.
	shards      []*pgxpool.Pool
	shardLogs   []*QueryLog
	adminShards []*pgxpool.Pool

	closed atomic.Bool
}

// New reads the runner's environment and builds the check's handles: the
// learner's pool and shard pools with tracers attached, and the checker's
// own untraced pools (Redis: package redischeck). Every Postgres connection
// carries statement, lock and idle-in-transaction timeouts.
//
// It fails the test at once when the environment is missing or a server
// does not answer. When the test ends it checks that the learner's code
// left no connection checked out, then closes everything.
func New(t *testing.T, opts ...Option) *Check {
	t.Helper()
	given, err := contract.Read(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	c := &Check{t: t, cfg: defaultConfig(), seed: given.Seed, report: &reportFile{path: given.Report}, queries: &QueryLog{}}
	for _, o := range opts {
		o(&c.cfg)
	}
	c.ctx, c.cancel = testContext(t)
	t.Cleanup(c.Close)

	if err := c.report.touch(); err != nil {
		t.Fatalf("the check's report file: %v", err)
	}
	if err := c.connect(given); err != nil {
		t.Fatal(err)
	}
	return c
}

// testContext ends a little before the test's deadline, so that a slow
// learner's call fails with a context error the check can report, rather
// than with go test's timeout panic, which loses the report.
func testContext(t *testing.T) (context.Context, context.CancelFunc) {
	deadline, ok := t.Deadline()
	if !ok {
		return context.WithCancel(t.Context())
	}
	margin := min(5*time.Second, time.Until(deadline)/10)
	return context.WithDeadline(t.Context(), deadline.Add(-margin))
}

// connect builds the handles on the databases the runner gave. A lesson
// with one server works on its database; a lesson with several also gets
// each of them as a shard, in order.
func (c *Check) connect(given contract.Check) error {
	var err error
	if c.pool, err = c.newPool(given.Postgres[0], LearnerApp, c.queries, nil); err != nil {
		return fmt.Errorf("the check's database URL: %w", err)
	}
	if c.admin, err = c.newPool(given.Postgres[0], CheckerApp, nil, c.cfg.adminSettings); err != nil {
		return fmt.Errorf("the check's database URL: %w", err)
	}
	if len(given.Postgres) > 1 {
		for i, u := range given.Postgres {
			if err := c.addShard(u); err != nil {
				return fmt.Errorf("the URL of shard %d: %w", i, err)
			}
		}
	}
	return c.ping()
}

func (c *Check) addShard(url string) error {
	log := &QueryLog{}
	p, err := c.newPool(url, LearnerApp, log, nil)
	if err != nil {
		return err
	}
	admin, err := c.newPool(url, CheckerApp, nil, c.cfg.adminSettings)
	if err != nil {
		p.Close()
		return err
	}
	c.shards = append(c.shards, p)
	c.shardLogs = append(c.shardLogs, log)
	c.adminShards = append(c.adminShards, admin)
	return nil
}

// ping makes sure the servers answer before the learner's code runs, so
// that an unreachable server is reported as such and not as the learner's
// error. Only the checker's handles are used: the learner's logs stay empty.
func (c *Check) ping() error {
	ctx, cancel := context.WithTimeout(c.ctx, 15*time.Second)
	defer cancel()
	if err := c.admin.Ping(ctx); err != nil {
		return fmt.Errorf("the check's database does not answer: %w", err)
	}
	return nil
}

// newPool builds a pool on url with the guard-rail timeouts, traced by log
// when log is not nil. Pools connect lazily.
func (c *Check) newPool(url, app string, log *QueryLog, settings map[string]string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	params := cfg.ConnConfig.RuntimeParams
	params["application_name"] = app
	params["statement_timeout"] = millis(c.cfg.statementTimeout)
	params["lock_timeout"] = millis(c.cfg.lockTimeout)
	params["idle_in_transaction_session_timeout"] = millis(c.cfg.idleInTxTimeout)
	for k, v := range settings {
		params[k] = v
	}
	if log != nil {
		cfg.ConnConfig.Tracer = log
		if c.cfg.maxConns > 0 {
			cfg.MaxConns = c.cfg.maxConns
		}
	}
	return pgxpool.NewWithConfig(c.ctx, cfg)
}

func millis(d time.Duration) string { return fmt.Sprintf("%dms", d.Milliseconds()) }

// Pool is the learner's database pool: every statement sent through it is
// recorded in [Check.QueryLog].
func (c *Check) Pool() *pgxpool.Pool { return c.pool }

// QueryLog records the statements sent through [Check.Pool].
func (c *Check) QueryLog() *QueryLog { return c.queries }

// Admin is the checker's own pool on the same database, untraced, for
// EXPLAIN, reference answers and setup the learner's counts must not see.
func (c *Check) Admin() *pgxpool.Pool { return c.admin }

// Shards are the learner's pools on the shard servers, in the runner's
// order; each has its own log ([Check.ShardLog]), so a check can tell which
// servers were touched. It fails the test when the runner gave no shards.
func (c *Check) Shards() []*pgxpool.Pool {
	c.t.Helper()
	if len(c.shards) == 0 {
		c.t.Fatal("this check needs several Postgres servers but the runner gave it one; " +
			"the lesson's lesson.toml must ask for them (servers.postgres)")
	}
	return c.shards
}

// AdminShards are the checker's own untraced pools on the shard servers,
// in the same order as [Check.Shards], for reading where rows ended up.
func (c *Check) AdminShards() []*pgxpool.Pool {
	c.t.Helper()
	c.Shards() // the same failure when there are none
	return c.adminShards
}

// ShardLog records the statements sent through [Check.Shards][i].
func (c *Check) ShardLog(i int) *QueryLog {
	c.t.Helper()
	if i < 0 || i >= len(c.shardLogs) {
		c.t.Fatalf("shard %d does not exist: the check has %d shards", i, len(c.shardLogs))
	}
	return c.shardLogs[i]
}

// Seed is the seed of the fixture's data this run (fixtures.FixedSeed for
// check, a variant's for grade). Read facts from the databases rather than
// from it; a check needs it only to generate data the fixture describes
// but does not load, such as fixtures.ShopOrders, which it hands the
// learner's code.
func (c *Check) Seed() uint64 { return c.seed }

// Ctx is a context for calling the learner's code. It ends a few seconds
// before the test's deadline, so a call that hangs returns a context error
// the check can report, and it ends when the test ends.
func (c *Check) Ctx() context.Context { return c.ctx }

// AssertNoLeaks checks that the learner's code returned every connection to
// its pools: no Rows left open, no transaction left unfinished, no Acquire
// without Release. The check does this by itself when the test ends;
// calling it earlier ties a leak to one step.
func (c *Check) AssertNoLeaks() bool {
	c.t.Helper()
	return c.checkLeaks(true)
}

// checkLeaks writes a record for each leaky pool, and for clean ones only
// when recordOK is true.
func (c *Check) checkLeaks(recordOK bool) bool {
	c.t.Helper()
	ok := true
	for _, np := range c.learnerPools() {
		name, p := np.name, np.pool
		acquired := settledAcquired(p)
		stat := p.Stat()
		ev := Evidence{Counts: map[string]int64{
			"acquired_conns": int64(acquired),
			"total_conns":    int64(stat.TotalConns()),
			"acquire_count":  stat.AcquireCount(),
		}}
		if acquired > 0 {
			ok = false
			c.Assert("no leaked connections", false, leakMessage(name, acquired), ev)
		} else if recordOK {
			c.Assert("no leaked connections", true,
				fmt.Sprintf("every connection of the %s went back to the pool", name), ev)
		}
	}
	return ok
}

func leakMessage(pool string, n int32) string {
	conns := "connection"
	if n != 1 {
		conns += "s"
	}
	return fmt.Sprintf("connection leaked: %d %s of the %s still checked out after your code returned; "+
		"close every Rows (defer rows.Close()), commit or roll back every transaction, "+
		"and Release every connection you Acquire", n, conns, pool)
}

// settledAcquired returns the pool's checked-out connections, giving a
// release that is happening right now a moment to land.
func settledAcquired(p *pgxpool.Pool) int32 {
	deadline := time.Now().Add(leakSettle)
	for {
		n := p.Stat().AcquiredConns()
		if n == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type namedPool struct {
	name string
	pool *pgxpool.Pool
}

// learnerPools lists the traced pools, named for messages.
func (c *Check) learnerPools() []namedPool {
	var pools []namedPool
	if c.pool != nil {
		pools = append(pools, namedPool{"database pool", c.pool})
	}
	for i, p := range c.shards {
		pools = append(pools, namedPool{fmt.Sprintf("pool of shard %d", i), p})
	}
	return pools
}

// Close checks for leaked connections, then closes every handle. It runs by
// itself when the test ends; calling it again does nothing.
func (c *Check) Close() {
	c.t.Helper()
	// Not a sync.Once: its frame would hide the check's line in failures.
	if c.closed.Swap(true) {
		return
	}
	clean := c.checkLeaks(false)
	c.cancel()
	wait := closeWait
	if !clean {
		wait = leakedCloseWait
	}
	pools := append([]*pgxpool.Pool{c.pool, c.admin}, c.shards...)
	for _, p := range append(pools, c.adminShards...) {
		if p != nil && !closeWithin(p.Close, wait) && clean {
			c.t.Logf("dblings: a pool did not close within %s", wait)
		}
	}
}

// closeWithin runs closeFn in the background and waits at most d for it.
func closeWithin(closeFn func(), d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		closeFn()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
