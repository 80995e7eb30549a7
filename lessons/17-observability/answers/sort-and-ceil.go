//go:build ignore

// Right: another spelling of each part. TopQueries orders by calls times
// mean (the total again) and finds its database by datname in a CTE;
// CacheHitRatio divides in numeric; Connections matches pg_stat_activity
// on datid; Latency sorts with sort.Slice and takes the rank with
// math.Ceil.
//
//dblings:answer passed
package observability

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TopQueries(ctx context.Context, db *pgxpool.Pool, n int) ([]QueryStat, error) {
	rows, err := db.Query(ctx, `
WITH here AS (SELECT oid FROM pg_database WHERE datname = current_database())
SELECT query, calls, calls * mean_exec_time AS total, mean_exec_time
FROM pg_stat_statements, here
WHERE dbid = here.oid
ORDER BY total DESC
LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QueryStat
	for rows.Next() {
		var q QueryStat
		if err := rows.Scan(&q.Query, &q.Calls, &q.TotalMS, &q.MeanMS); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

func CacheHitRatio(ctx context.Context, db *pgxpool.Pool) (float64, error) {
	var r float64
	err := db.QueryRow(ctx, `
SELECT coalesce(round(sum(heap_blks_hit)::numeric / nullif(sum(heap_blks_hit + heap_blks_read), 0), 12), 0)::float8
FROM pg_statio_user_tables`).Scan(&r)
	return r, err
}

func Connections(ctx context.Context, db *pgxpool.Pool) (ConnUse, error) {
	var open int
	err := db.QueryRow(ctx, `
SELECT count(*) FROM pg_stat_activity
WHERE datid = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&open)
	return ConnUse{Open: open, PoolMax: db.Config().MaxConns}, err
}

func Latency(windows [][]time.Duration) Percentiles {
	var all []time.Duration
	for _, w := range windows {
		all = append(all, w...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pick := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		rank := int(math.Ceil(p * float64(len(all))))
		return all[max(rank, 1)-1]
	}
	return Percentiles{P50: pick(0.50), P95: pick(0.95), P99: pick(0.99)}
}
