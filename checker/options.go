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
	weights          Weights
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

// Weights give assertions, by name, their share of the lesson's points
// relative to each other. An assertion the table does not name weighs 1.
type Weights map[string]float64

// WithWeights weighs the check's assertions for grade's partial credit:
// a lesson's points (points in lesson.toml) are shared among the
// assertions it records in proportion to their weights, and a failed
// check earns the shares of the assertions that held. Without it every
// assertion weighs the same. Example, for a plan that matters twice as
// much as a timing:
//
//	checker.New(t, checker.WithWeights(checker.Weights{"no Seq Scan on posts": 2}))
func WithWeights(w Weights) Option {
	return func(c *config) { c.weights = w }
}

// WithAdminSetting sets a run-time parameter on the admin pool's
// connections, e.g. WithAdminSetting("max_parallel_workers_per_gather", "0")
// so that EXPLAIN on the admin pool gives plans without parallel workers.
// The learner's pool is unaffected.
func WithAdminSetting(name, value string) Option {
	return func(c *config) { c.adminSettings[name] = value }
}
