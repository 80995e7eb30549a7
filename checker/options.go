package checker

import "time"

// Option changes how [New] builds a check's handles.
type Option func(*config)

type config struct {
	statementTimeout time.Duration
	lockTimeout      time.Duration
	idleInTxTimeout  time.Duration
	maxConns         int32
	adminSettings    map[string]string
}

// The guard rails on every connection: long enough for any sane lesson
// query on a loaded CI machine, short enough that a runaway query, a lock
// wait or a forgotten transaction ends with a clear error instead of a hang.
func defaultConfig() config {
	return config{
		statementTimeout: 30 * time.Second,
		lockTimeout:      5 * time.Second,
		idleInTxTimeout:  30 * time.Second,
		adminSettings:    map[string]string{},
	}
}

// WithStatementTimeout sets statement_timeout on every connection (default
// 30s); 0 turns it off. A statement cut short fails with 57014, see
// [IsStatementTimeout].
func WithStatementTimeout(d time.Duration) Option {
	return func(c *config) { c.statementTimeout = d }
}

// WithLockTimeout sets lock_timeout on every connection (default 5s); 0
// turns it off. A lock wait cut short fails with 55P03, see [IsLockTimeout].
func WithLockTimeout(d time.Duration) Option {
	return func(c *config) { c.lockTimeout = d }
}

// WithIdleInTransactionTimeout sets idle_in_transaction_session_timeout on
// every connection (default 30s); 0 turns it off. Postgres then ends a
// session that left a transaction open, which releases its locks.
func WithIdleInTransactionTimeout(d time.Duration) Option {
	return func(c *config) { c.idleInTxTimeout = d }
}

// WithMaxConns sets the size of the learner's pool and of each shard pool
// (default: pgxpool's, the larger of 4 and the number of CPUs). The
// connection-pooling lessons use small pools to make exhaustion visible.
func WithMaxConns(n int32) Option {
	return func(c *config) { c.maxConns = n }
}

// WithAdminSetting sets a run-time parameter on the admin pool's
// connections, e.g. WithAdminSetting("max_parallel_workers_per_gather", "0")
// so that EXPLAIN on the admin pool gives plans without parallel workers.
// The learner's pool is unaffected.
func WithAdminSetting(name, value string) Option {
	return func(c *config) { c.adminSettings[name] = value }
}
