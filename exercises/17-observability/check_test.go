//go:build dblings

package observability

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/17-observability/check"
)

// The check itself is lessons/17-observability/check; this file hands it your code.
func TestObservability(t *testing.T) {
	check.Run(t, check.Exercise{
		TopQueries: func(ctx context.Context, db *pgxpool.Pool, n int) ([]check.QueryStat, error) {
			stats, err := TopQueries(ctx, db, n)
			out := make([]check.QueryStat, len(stats))
			for i, s := range stats {
				out[i] = check.QueryStat(s)
			}
			return out, err
		},
		CacheHitRatio: CacheHitRatio,
		Connections: func(ctx context.Context, db *pgxpool.Pool) (check.ConnUse, error) {
			u, err := Connections(ctx, db)
			return check.ConnUse(u), err
		},
		Latency: func(windows [][]time.Duration) check.Percentiles {
			return check.Percentiles(Latency(windows))
		},
	})
}
