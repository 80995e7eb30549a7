// Package observability is lesson 17: what the database is doing now, read
// from the server's own statistics and from the requests' timings.
package observability

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// QueryStat is one statement as pg_stat_statements counts it.
type QueryStat struct {
	Query   string  // the statement's text, as pg_stat_statements shows it
	Calls   int64   // how many times it ran
	TotalMS float64 // its total execution time, in milliseconds
	MeanMS  float64 // its mean execution time, in milliseconds
}

// ConnUse is the connections of this database against the pool's size.
type ConnUse struct {
	Open    int   // sessions connected to this database, busy or idle
	PoolMax int32 // the most connections the pool may open
}

// Percentiles are latencies that 50%, 95% and 99% of the requests did not
// exceed.
type Percentiles struct {
	P50, P95, P99 time.Duration
}

// TopQueries returns this database's n statements with the most total
// execution time, most first.
//
// TODO: read pg_stat_statements. It holds the statements of every
// database on the server: keep this database's.
func TopQueries(ctx context.Context, db *pgxpool.Pool, n int) ([]QueryStat, error) {
	return nil, nil
}

// CacheHitRatio returns the share of this database's table blocks that
// were found in shared buffers rather than read, between 0 and 1.
//
// TODO: read pg_statio_user_tables.
func CacheHitRatio(ctx context.Context, db *pgxpool.Pool) (float64, error) {
	return 0, nil
}

// Connections returns how many sessions are connected to this database and
// how many connections db may open at most.
//
// TODO: read pg_stat_activity, and the pool's configuration.
func Connections(ctx context.Context, db *pgxpool.Pool) (ConnUse, error) {
	return ConnUse{}, nil
}

// Latency returns the P50, P95 and P99 of every request, given their
// latencies as a metrics agent collected them: one slice per window.
//
// TODO: compute the percentiles of all the requests together.
func Latency(windows [][]time.Duration) Percentiles {
	return Percentiles{}
}
