//go:build ignore

// Right: the arithmetic in Go. TopQueries reads this database's rows
// (joined on its name) and sorts them itself; CacheHitRatio adds up the
// per-table counters; Connections reads pg_stat_database's numbackends;
// Latency counts the requests into buckets 1% wide and returns the upper
// bound of the bucket where the count reaches p, at most 1% above the
// exact percentile, as Prometheus-style histograms do.
//
//dblings:answer passed over=solution
package observability

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TopQueries(ctx context.Context, db *pgxpool.Pool, n int) ([]QueryStat, error) {
	rows, err := db.Query(ctx, `
SELECT s.query, s.calls, s.total_exec_time, s.mean_exec_time
FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
WHERE d.datname = current_database()`)
	if err != nil {
		return nil, err
	}
	all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (QueryStat, error) {
		var q QueryStat
		err := row.Scan(&q.Query, &q.Calls, &q.TotalMS, &q.MeanMS)
		return q, err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b QueryStat) int { return cmp.Compare(b.TotalMS, a.TotalMS) })
	return all[:min(n, len(all))], nil
}

func CacheHitRatio(ctx context.Context, db *pgxpool.Pool) (float64, error) {
	rows, err := db.Query(ctx, `SELECT relname, coalesce(heap_blks_hit, 0), coalesce(heap_blks_read, 0) FROM pg_statio_user_tables`)
	if err != nil {
		return 0, err
	}
	var hit, read int64
	for rows.Next() {
		var name string
		var h, r int64
		if err := rows.Scan(&name, &h, &r); err != nil {
			rows.Close()
			return 0, err
		}
		hit, read = hit+h, read+r
	}
	if err := rows.Err(); err != nil || hit+read == 0 {
		return 0, err
	}
	return float64(hit) / float64(hit+read), nil
}

func Connections(ctx context.Context, db *pgxpool.Pool) (ConnUse, error) {
	u := ConnUse{PoolMax: db.Config().MaxConns}
	err := db.QueryRow(ctx, `SELECT numbackends FROM pg_stat_database WHERE datname = current_database()`).Scan(&u.Open)
	return u, err
}

// growth is the width of a bucket: each bound is 1% above the last.
const growth = 1.01

func Latency(windows [][]time.Duration) Percentiles {
	counts := map[int]int{}
	total := 0
	for _, w := range windows {
		for _, d := range w {
			counts[bucket(d)]++
			total++
		}
	}
	keys := make([]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	at := func(p int) time.Duration {
		need := (p*total + 99) / 100
		seen := 0
		for _, k := range keys {
			seen += counts[k]
			if seen >= need {
				return upper(k)
			}
		}
		return 0
	}
	return Percentiles{P50: at(50), P95: at(95), P99: at(99)}
}

// bucket k holds the latencies in (1µs × growth^(k-1), 1µs × growth^k].
func bucket(d time.Duration) int {
	if d <= time.Microsecond {
		return 0
	}
	k := int(math.Ceil(math.Log(float64(d)/float64(time.Microsecond)) / math.Log(growth)))
	for upper(k) < d { // floating point may land one bucket low
		k++
	}
	return k
}

func upper(k int) time.Duration {
	return time.Duration(math.Ceil(float64(time.Microsecond) * math.Pow(growth, float64(k))))
}
