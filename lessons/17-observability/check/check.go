// Package check is lesson 17's check. It sends a shop's traffic to the
// check's database, with an N+1 and a slow report planted in it (which
// ones, and how much traffic, depend on the seed), waits until the
// server's counters have settled, then asks the learner's code what a
// dashboard would show: the top statements by total time, the table cache
// hit ratio, the connections against the pool's size, and the requests'
// P50, P95 and P99. Every answer is compared with the check's own reading
// of the same server, taken just before and just after the learner's call.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/17-observability/check_test.go hands it the learner's code, so an edit
// recompiles only the learner's file and that shim.
package check

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/lessons/17-observability/workload"
)

// QueryStat is one line of the learner's top statements.
type QueryStat struct {
	Query   string
	Calls   int64
	TotalMS float64
	MeanMS  float64
}

// ConnUse is the learner's connection count against the pool's size.
type ConnUse struct {
	Open    int
	PoolMax int32
}

// Percentiles are the learner's latency percentiles.
type Percentiles struct {
	P50, P95, P99 time.Duration
}

// Exercise is what the learner's package gives the check.
type Exercise struct {
	TopQueries    func(context.Context, *pgxpool.Pool, int) ([]QueryStat, error)
	CacheHitRatio func(context.Context, *pgxpool.Pool) (float64, error)
	Connections   func(context.Context, *pgxpool.Pool) (ConnUse, error)
	Latency       func([][]time.Duration) Percentiles
}

// Assertion names; answers refer to them.
const (
	topName     = "top statements by total time"
	nPlusName   = "the N+1 tops total time"
	slowName    = "the slow report tops mean time"
	ratioName   = "table cache hit ratio"
	connsName   = "connections against the pool size"
	latencyName = "P50, P95 and P99 of the requests"
)

// topN is how many statements the check asks for.
const topN = 5

// Run is the check of lesson 17.
func Run(t *testing.T, ex Exercise) {
	given, err := contract.Read(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	plan := workload.For(given.Seed)
	c := checker.New(t, checker.WithMaxConns(plan.PoolSize), checker.WithWeights(checker.Weights{
		topName:     3,
		nPlusName:   1,
		slowName:    1,
		ratioName:   2,
		connsName:   1,
		latencyName: 2,
	}))
	ctx := c.Ctx()

	windows, err := runWorkload(ctx, c, plan)
	c.RequireNoError("the check's traffic runs", err)
	c.RequireNoError("wait for the table statistics to settle", settle(ctx, c.Admin()))
	c.QueryLog().Reset()

	checkTopQueries(ctx, c, ex, plan)
	checkHitRatio(ctx, c, ex)
	checkConnections(ctx, c, ex, plan)
	checkLatency(c, ex, windows)
}
