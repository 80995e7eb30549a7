// Package observability is lesson 17: what the database is doing now, read
// from the server's own statistics and from the requests' timings.
package observability

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
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

// topQuery ranks by total_exec_time: what a statement costs the server
// is its mean times its calls, so a fast statement run thousands of times
// (an N+1) outranks a slow one run twice. pg_stat_statements holds every
// database's statements, so the dbid filter keeps this database's.
const topQuery = `
SELECT query, calls, total_exec_time, mean_exec_time
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY total_exec_time DESC
LIMIT $1`

// TopQueries returns this database's n statements with the most total
// execution time, most first.
func TopQueries(ctx context.Context, db *pgxpool.Pool, n int) ([]QueryStat, error) {
	rows, err := db.Query(ctx, topQuery, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (QueryStat, error) {
		var q QueryStat
		err := row.Scan(&q.Query, &q.Calls, &q.TotalMS, &q.MeanMS)
		return q, err
	})
}

// hitRatioQuery sums the tables' heap blocks before dividing, so that a
// big table weighs by its traffic; index blocks (idx_blks_*) are another
// ratio. pg_statio_user_tables shows this database's tables only.
const hitRatioQuery = `
SELECT coalesce(sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0), 0)
FROM pg_statio_user_tables`

// CacheHitRatio returns the share of this database's table blocks that
// were found in shared buffers rather than read, between 0 and 1.
func CacheHitRatio(ctx context.Context, db *pgxpool.Pool) (float64, error) {
	var r float64
	err := db.QueryRow(ctx, hitRatioQuery).Scan(&r)
	return r, err
}

// Connections returns how many sessions are connected to this database and
// how many connections db may open at most. Idle sessions count: each
// holds a server process and a slot of max_connections.
func Connections(ctx context.Context, db *pgxpool.Pool) (ConnUse, error) {
	u := ConnUse{PoolMax: db.Config().MaxConns}
	err := db.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()`).Scan(&u.Open)
	return u, err
}

// Latency returns the P50, P95 and P99 of every request, given their
// latencies as a metrics agent collected them: one slice per window.
// Percentiles do not average, so every window's requests go into one
// sorted list first.
func Latency(windows [][]time.Duration) Percentiles {
	var all []time.Duration
	for _, w := range windows {
		all = append(all, w...)
	}
	slices.Sort(all)
	return Percentiles{P50: nearestRank(all, 50), P95: nearestRank(all, 95), P99: nearestRank(all, 99)}
}

// nearestRank is the smallest latency with at least p% of the requests at
// or below it: the ceil(p × n / 100)-th smallest, counted from 1. The rank
// is computed in whole numbers, where 0.95 × 20 cannot come out as 19.000001.
func nearestRank(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}
