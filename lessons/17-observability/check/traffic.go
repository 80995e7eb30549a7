package check

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons/17-observability/workload"
)

// The kinds of request the traffic sends.
const (
	productPage = iota
	feedPage
	report
)

// runWorkload sends the plan's traffic through the learner's traced pool,
// as the shop would, one request at a time, and returns each request's
// latency by window, as the tracer saw it: from the first statement's
// start to the last one's end. Requests are shuffled within a window with
// the seed, so that the slow ones do not always come last.
func runWorkload(ctx context.Context, c *checker.Check, plan workload.Plan) ([][]time.Duration, error) {
	r := rand.New(rand.NewPCG(c.Seed(), 0xfeed))
	db, log := c.Pool(), c.QueryLog()
	offset := 0
	var windows [][]time.Duration
	for _, w := range plan.Windows {
		var kinds []int
		for range w.ProductPages {
			kinds = append(kinds, productPage)
		}
		for range w.FeedPages {
			kinds = append(kinds, feedPage)
		}
		for range w.Reports {
			kinds = append(kinds, report)
		}
		r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
		latencies := make([]time.Duration, 0, len(kinds))
		for _, k := range kinds {
			log.Reset()
			var err error
			switch k {
			case productPage:
				_, err = db.Exec(ctx, workload.ProductPage, 1+r.IntN(fixtures.StorefrontProducts))
			case feedPage:
				err = feed(ctx, db, plan.NPlusOne, offset)
				offset += workload.PerPage
			case report:
				_, err = db.Exec(ctx, plan.Slow, plan.SlowArgs()...)
			}
			if err != nil {
				return nil, err
			}
			latencies = append(latencies, span(log.Queries()))
		}
		windows = append(windows, latencies)
	}
	return windows, nil
}

// feed is the shop's feed page, written the N+1 way on purpose: one
// statement for the page, then one per order for its product.
func feed(ctx context.Context, db *pgxpool.Pool, perOrder string, offset int) error {
	rows, err := db.Query(ctx, workload.FeedList, workload.PerPage, offset)
	if err != nil {
		return err
	}
	products, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (int64, error) {
		var id, product int64
		err := row.Scan(&id, &product)
		return product, err
	})
	if err != nil {
		return err
	}
	for _, p := range products {
		if _, err := db.Exec(ctx, perOrder, p); err != nil {
			return err
		}
	}
	return nil
}

// span is how long a request took, client side: from the start of its
// first statement to the end of its last.
func span(qs []checker.Query) time.Duration {
	if len(qs) == 0 {
		return 0
	}
	start, end := qs[0].Start, qs[0].End
	for _, q := range qs[1:] {
		if q.Start.Before(start) {
			start = q.Start
		}
		if q.End.After(end) {
			end = q.End
		}
	}
	return end.Sub(start)
}

// settle waits until the table statistics stop moving. A session hands
// its table counters to the server when it goes idle, at most once a
// second, so right after the traffic the counters may still grow; once
// they have held still for over a second, the learner's code and the
// check read the same numbers.
func settle(ctx context.Context, admin *pgxpool.Pool) error {
	const (
		step  = 300 * time.Millisecond
		still = 1200 * time.Millisecond
		limit = 10 * time.Second
	)
	var last int64 = -1
	since := time.Now()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		var sum int64
		err := admin.QueryRow(ctx, checkMark+` SELECT coalesce(sum(heap_blks_hit + heap_blks_read + coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0)), 0)::bigint FROM pg_statio_user_tables`).Scan(&sum)
		if err != nil {
			return err
		}
		if sum != last {
			last, since = sum, time.Now()
		} else if time.Since(since) >= still {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(step):
		}
	}
	return fmt.Errorf("the table statistics were still changing after %s", limit)
}
