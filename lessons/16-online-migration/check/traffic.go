package check

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/fixtures"
)

// The application's traffic: a few clients, each owning some payments,
// reading one and writing one at a steady pace.
const (
	clients       = 4
	hotPerClient  = 400
	requestPause  = 8 * time.Millisecond
	reportHolds   = 700 * time.Millisecond
	samplePause   = 10 * time.Millisecond
	trafficApp    = "dblings-traffic"
	maxFailShown  = 3
	trafficSchema = "traffic"
)

// facts are read from the data before the migration.
type facts struct {
	maxID int64
	rows  int64
}

func readFacts(c *checker.Check, ctx context.Context) facts {
	var f facts
	err := c.Admin().QueryRow(ctx, `SELECT coalesce(max(id), 0), count(*) FROM payments`).Scan(&f.maxID, &f.rows)
	c.RequireNoError("read the payments", err)
	return f
}

// findTraffic makes sure the application's functions are there. The
// second witness creates them before the check, owned by the superuser:
// each request is one call of a PL/pgSQL function, so that its lock waits
// happen inside the statement's execution, where pg_stat_statements times
// them, and every write is logged in traffic.writes for the witness. The
// learner's role may call them and cannot rewrite them.
func findTraffic(ctx context.Context, db *pgxpool.Pool) error {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM pg_proc WHERE pronamespace = to_regnamespace($1)`, trafficSchema).Scan(&n)
	if err == nil && n == 0 {
		err = fmt.Errorf("the schema %q has no functions: the runner's second witness sets the application up, and it did not run", trafficSchema)
	}
	return err
}

// The statements of each version of the application.
var (
	readSQL  = map[App]string{WritesAmount: `SELECT traffic.read_amount($1)`, WritesBoth: `SELECT traffic.read_amount($1)`, UsesCents: `SELECT traffic.read_cents($1)`}
	writeSQL = map[App]string{WritesAmount: `SELECT traffic.write_amount($1, $2)`, WritesBoth: `SELECT traffic.write_both($1, $2)`, UsesCents: `SELECT traffic.write_cents($1, $2)`}
)

// traffic is the running application, the sampler of its lock waits, and
// what both saw.
type traffic struct {
	pool    *pgxpool.Pool
	admin   *pgxpool.Pool
	seed    uint64
	cancel  context.CancelFunc // stops the sampler
	stopped atomic.Bool        // stops the clients, between two requests
	done    sync.WaitGroup

	// version is the deployed App; a request holds deployMu for reading
	// while it runs, so a deploy waits for the requests of the version
	// before.
	deployMu sync.RWMutex
	version  App

	step atomic.Value // string: the step running now

	mu            sync.Mutex
	written       map[int64]int64 // the last amount written to each payment, in cents
	requests      int64
	reads, writes int64
	failed        int64
	failures      []string
	longest       wait
	queued        map[string]wait // requests seen queued behind a waiting statement, by request
	waits         []time.Duration // the longest wait seen by each sample that saw one
}

// wait is one lock wait the sampler saw: the request, and the statement
// it was queued behind, which may itself have been waiting.
type wait struct {
	request        string // the backend and the start of its statement
	wait           time.Duration
	step           string
	query          string
	blocker        string
	blockerWaiting bool
}

// result is what the traffic saw, once stopped.
type result struct {
	requests, reads, writes, failed int64
	firstFailures                   []string
	longestWait                     wait
	p99Wait                         time.Duration
	waitSamples                     int
	written                         map[int64]int64
}

// startTraffic starts the clients and the sampler.
func startTraffic(ctx context.Context, c *checker.Check, f facts) (*traffic, error) {
	cfg := c.Admin().Config()
	cfg.ConnConfig.RuntimeParams["application_name"] = trafficApp
	cfg.MaxConns = clients
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	tr := &traffic{pool: pool, admin: c.Admin(), seed: c.Seed(), cancel: cancel, written: map[int64]int64{}, queued: map[string]wait{}}
	tr.step.Store("before the first step")
	r := rand.New(rand.NewPCG(c.Seed(), 16))
	for i := range clients {
		ids := make([]int64, hotPerClient)
		for j := range ids {
			// Client i owns the ids equal to i modulo clients: each payment
			// has one writer, which knows its last amount.
			ids[j] = 1 + int64(i) + clients*r.Int64N(max(1, f.maxID/clients))
			if ids[j] > f.maxID {
				ids[j] = int64(i) + 1
			}
		}
		tr.done.Add(1)
		go tr.client(ctx, ids, rand.New(rand.NewPCG(c.Seed(), uint64(i))))
	}
	tr.done.Add(1)
	go tr.sample(sctx)
	return tr, nil
}

func (tr *traffic) setStep(name string) { tr.step.Store(name) }

// deploy switches the application to version v, once the requests of the
// version before have ended.
func (tr *traffic) deploy(v App) {
	tr.deployMu.Lock()
	tr.version = v
	tr.deployMu.Unlock()
}

// client reads and writes its payments until the traffic stops: a read of
// one, then a write of another, with a pause between. A request is never
// cut short, so that the client knows whether each write happened.
func (tr *traffic) client(ctx context.Context, ids []int64, r *rand.Rand) {
	defer tr.done.Done()
	mine := map[int64]int64{}
	for !tr.stopped.Load() && ctx.Err() == nil {
		tr.read(ctx, ids[r.IntN(len(ids))], mine)
		tr.write(ctx, ids[r.IntN(len(ids))], 100+r.Int64N(499_901), mine)
		time.Sleep(requestPause)
	}
}

// read reads a payment's amount with the deployed version and compares it
// with what the payment must hold.
func (tr *traffic) read(ctx context.Context, id int64, mine map[int64]int64) {
	tr.deployMu.RLock()
	v := tr.version
	var got *int64
	err := tr.pool.QueryRow(ctx, readSQL[v], id).Scan(&got)
	tr.deployMu.RUnlock()
	want, ok := mine[id]
	if !ok {
		want = fixtures.PaymentCents(id, tr.seed)
	}
	switch {
	case err != nil:
		tr.count(true, fmt.Errorf("%s read payment %d: %w", v, id, err))
	case got == nil:
		tr.count(true, fmt.Errorf("%s read payment %d: amount_cents is NULL, the payment holds %d cents", v, id, want))
	case *got != want:
		tr.count(true, fmt.Errorf("%s read payment %d: %d cents, but the application last wrote %d", v, id, *got, want))
	default:
		tr.count(true, nil)
	}
}

// write writes a new amount to a payment with the deployed version.
func (tr *traffic) write(ctx context.Context, id, cents int64, mine map[int64]int64) {
	tr.deployMu.RLock()
	v := tr.version
	_, err := tr.pool.Exec(ctx, writeSQL[v], id, cents)
	tr.deployMu.RUnlock()
	if err != nil {
		tr.count(false, fmt.Errorf("%s write payment %d: %w", v, id, err))
		return
	}
	mine[id] = cents
	tr.mu.Lock()
	tr.written[id] = cents
	tr.mu.Unlock()
	tr.count(false, nil)
}

func (tr *traffic) count(read bool, err error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.requests++
	if read {
		tr.reads++
	} else {
		tr.writes++
	}
	if err != nil {
		tr.failed++
		if len(tr.failures) < maxFailShown {
			tr.failures = append(tr.failures, fmt.Sprintf("during step %q, %v", tr.step.Load(), err))
		}
	}
}

// sample looks at pg_stat_activity every few milliseconds for requests of
// the application waiting on the table's lock, and keeps the longest wait.
// A request slowed by a busy CPU is not waiting on a lock, so the measure
// does not move with the machine's load. A request waiting for a row that
// a backfill batch is updating (a transactionid or tuple lock) is not
// counted: that wait lasts as long as the batch, which the rows-per-
// transaction bound keeps small, and on a busy machine even a small batch
// took 600 ms (CI, a right answer with batches of 2,500 rows).
func (tr *traffic) sample(ctx context.Context) {
	defer tr.done.Done()
	for ctx.Err() == nil {
		var ms float64
		var request, query, blocker string
		var blockerWaiting bool
		err := tr.admin.QueryRow(ctx, `
			SELECT a.pid || ' ' || a.query_start, coalesce(extract(epoch FROM clock_timestamp() - a.query_start) * 1000, 0), coalesce(a.query, ''),
			       coalesce(b.query, ''), coalesce(b.wait_event_type = 'Lock', false)
			FROM pg_stat_activity a
			LEFT JOIN LATERAL (SELECT query, wait_event_type FROM pg_stat_activity
			                   WHERE pid = ANY (pg_blocking_pids(a.pid)) AND application_name <> $1 LIMIT 1) b ON true
			WHERE a.datname = current_database() AND a.application_name = $1
			  AND a.wait_event_type = 'Lock' AND a.wait_event = 'relation'
			ORDER BY a.query_start LIMIT 1`, trafficApp).Scan(&request, &ms, &query, &blocker, &blockerWaiting)
		if errors.Is(err, pgx.ErrNoRows) {
			err, ms = nil, 0
		}
		if err == nil {
			w := time.Duration(ms * float64(time.Millisecond))
			tr.mu.Lock()
			tr.waits = append(tr.waits, w)
			seen := wait{request: request, wait: w, step: tr.step.Load().(string),
				query: query, blocker: blocker, blockerWaiting: blockerWaiting}
			if first, ok := tr.queued[request]; ok {
				// By the last sample of a request, the statement it was
				// queued behind usually has its lock and runs: keep what
				// an earlier sample saw of it waiting.
				seen.blocker, seen.blockerWaiting, seen.step = first.blocker, true, first.step
			} else if blockerWaiting {
				tr.queued[request] = seen
			}
			if w > tr.longest.wait {
				tr.longest = seen
			}
			tr.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(samplePause):
		}
	}
}

// report is one run of the report: a transaction that holds a read lock
// on payments for a while, as reports do.
type report struct{ done chan struct{} }

func (r *report) wait() { <-r.done }

// startReport begins a report and returns once it holds its lock on
// payments, so that the step after it certainly meets it.
func (tr *traffic) startReport(ctx context.Context) *report {
	r := &report{done: make(chan struct{})}
	locked := make(chan struct{})
	go func() {
		defer close(r.done)
		err := pgx.BeginFunc(ctx, tr.admin, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT count(*) FROM (SELECT 1 FROM payments LIMIT 1) AS one`); err != nil {
				return err
			}
			close(locked)
			_, err := tx.Exec(ctx, `SELECT pg_sleep($1)`, reportHolds.Seconds())
			return err
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			select {
			case <-locked:
			default:
				close(locked)
			}
		}
	}()
	select {
	case <-locked:
	case <-r.done:
	}
	return r
}

// stop ends the traffic and returns what it saw.
func (tr *traffic) stop() result {
	tr.stopped.Store(true)
	tr.cancel()
	tr.done.Wait()
	tr.pool.Close()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	res := result{requests: tr.requests, reads: tr.reads, writes: tr.writes, failed: tr.failed,
		firstFailures: tr.failures, longestWait: tr.longest, written: tr.written}
	var waiting []time.Duration
	for _, w := range tr.waits {
		if w > 0 {
			waiting = append(waiting, w)
		}
	}
	res.waitSamples = len(waiting)
	if len(tr.waits) > 0 {
		all := slices.Clone(tr.waits)
		slices.Sort(all)
		res.p99Wait = all[len(all)*99/100]
	}
	return res
}
