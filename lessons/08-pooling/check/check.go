// Package check is lesson 8's check: the learner's pool must stay within
// the database's budget, reuse its connections, give them back on every
// error path and time out when exhausted, under a burst of 200 requests. It
// lives in a package of its own, compiled once and cached, and the
// exercise's check_test.go hands it the learner's work: an edit then
// recompiles only the learner's file and that small shim.
package check

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// The check's own copies of what the lesson states, so that a learner who
// changes the stub's constants changes nothing here.
const (
	// budget is the connections the database grants the service (Budget).
	budget = 20
	// checkerConns is the room the check keeps for its own connections on
	// top of the budget, in the database's connection limit.
	checkerConns = 10
	// hangLimit is how long a request on an exhausted pool may take to fail:
	// the lesson's second (AcquireTimeout), with room for a loaded machine.
	hangLimit = 3 * time.Second
	// callLimit is the check's own deadline on a call that may hang.
	callLimit = 5 * time.Second
	// requests is the size of the burst; the kinds below are part of it.
	requests = 200
	// Requests of the burst that fail on purpose, and the e-mail changes.
	missingEach = 10 // GetProfile of an id no user has
	damagedEach = 10 // GetProfile of a profile that cannot be read
	takenEach   = 10 // ChangeEmail to an address another user has
	movesEach   = 10 // ChangeEmail to a new address: these succeed
	// damagedUsers are the profiles the check damages.
	damagedUsers = 2
	// perSample is how many requests one timing sample makes. One request
	// on the pool takes a fraction of a millisecond, less than a wake-up
	// waits for a busy core: with a CPU hog on one core, a sample of one
	// request measured 2.5 ms and the reference came out 4.9× faster, once
	// in 20 (verify --repeat 20). Ten requests a sample average that out.
	perSample = 10
	// minRatio is how much faster than a connection per request the pool
	// must serve: the reference is 50 to 200 times faster here.
	minRatio = 5.0
	// leakSettle is how long a release that is happening may take to land.
	leakSettle = 500 * time.Millisecond
)

// movedEmail is the new address of a user the burst moves. The second
// witness knows it too (lessons/08-pooling/witness.go).
func movedEmail(id int64) string { return "moved." + strconv.FormatInt(id, 10) + "@example.org" }

// Profile is the check's copy of the exercise's Profile, one user as the
// service's API returns it, with the same fields.
type Profile struct {
	ID        int64
	Name      string
	Email     string
	UpdatedAt time.Time
}

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// NewPool is the learner's NewPool.
	NewPool func(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error)
	// GetProfile is the learner's GetProfile, its profile converted to the
	// check's Profile.
	GetProfile func(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error)
	// ChangeEmail is the learner's ChangeEmail, its profile converted to
	// the check's Profile.
	ChangeEmail func(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error)
	// ErrNotFound and ErrDamaged are the exercise's sentinel errors.
	ErrNotFound, ErrDamaged error
}

// Run is the check of lesson 8.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		"failed requests give their connection back":     2,
		"never more connections than the pool's maximum": 2,
		"no connection checked out after the burst":      2,
		"an exhausted pool times out":                    2,
	}))
	ctx := c.Ctx()
	s := setUp(t, c, ctx)

	pool, err := ex.NewPool(ctx, c.Pool().Config())
	c.RequireNoError("NewPool builds the pool", err)
	if pool == nil {
		c.Require("NewPool builds the pool", false, "NewPool returned a nil pool and no error", checker.Evidence{})
	}
	defer closePool(c, pool)

	assertSized(c, pool)
	assertFaster(c, ctx, ex, pool, s)
	assertErrorsGiveBack(c, ctx, ex, pool, s)
	assertExhaustion(c, ctx, ex, pool, s)
	assertBurst(c, ctx, ex, pool, s)
}

// scene is what the check read from the data and set up for one run.
type scene struct {
	profiles map[int64]Profile // the users the burst reads, as they are
	reads    []int64           // their ids, in the burst's order
	missing  []int64           // ids no user has
	damaged  []int64           // users whose updated_at is 'infinity'
	moves    []int64           // users the burst gives a new address
	taken    [][2]int64        // (user, other user): user asks for other's address
	emails   map[int64]string  // the addresses of the users in taken
	app      string            // the check's own application_name
}

// setUp limits the database's connections, adds the unique index on
// email, damages a few profiles and picks the users the requests ask for,
// all from the data.
func setUp(t *testing.T, c *checker.Check, ctx context.Context) *scene {
	admin := c.Admin()
	var dbName string
	s := &scene{profiles: map[int64]Profile{}, emails: map[int64]string{}}
	err := admin.QueryRow(ctx, `SELECT current_database(), current_setting('application_name')`).Scan(&dbName, &s.app)
	c.RequireNoError("read the check's database", err)
	_, err = admin.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s CONNECTION LIMIT %d`, pgx.Identifier{dbName}.Sanitize(), budget+checkerConns))
	c.RequireNoError("limit the database's connections", err)
	_, err = admin.Exec(ctx, `CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email)`)
	c.RequireNoError("add the unique index on users.email", err)

	rows, _ := admin.Query(ctx, `SELECT id FROM users ORDER BY id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	c.RequireNoError("read the users' ids", err)
	need := damagedUsers + movesEach + 2*takenEach + requests - missingEach - damagedEach - takenEach - movesEach
	if len(ids) < need {
		c.Require("read the users' ids", false, fmt.Sprintf("the users table has %d rows; the check needs %d", len(ids), need), checker.Evidence{})
	}

	// A shuffle drawn from the run's seed picks the users, so that every
	// variant of the data asks for other ones.
	r := rand.New(rand.NewPCG(c.Seed(), 8))
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	take := func(n int) []int64 { out := ids[:n:n]; ids = ids[n:]; return out }
	s.damaged = take(damagedUsers)
	s.moves = take(movesEach)
	users, others := take(takenEach), take(takenEach)
	for i := range users {
		s.taken = append(s.taken, [2]int64{users[i], others[i]})
	}
	s.reads = take(requests - missingEach - damagedEach - takenEach - movesEach)

	var maxID int64
	c.RequireNoError("read the largest id", admin.QueryRow(ctx, `SELECT max(id) FROM users`).Scan(&maxID))
	for i := range int64(missingEach) {
		s.missing = append(s.missing, maxID+1+i*7)
	}

	rows, _ = admin.Query(ctx, `SELECT id, name, email, updated_at FROM users WHERE id = ANY($1)`, s.reads)
	profiles, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Profile])
	c.RequireNoError("read the profiles the burst asks for", err)
	for _, p := range profiles {
		s.profiles[p.ID] = p
	}
	for _, id := range append(users, others...) {
		var email string
		c.RequireNoError("read an e-mail", admin.QueryRow(ctx, `SELECT email FROM users WHERE id = $1`, id).Scan(&email))
		s.emails[id] = email
	}

	// Damage a few profiles the way an old import did: 'infinity' fits a
	// timestamptz but no time.Time, so reading them fails. Put them back
	// when the check ends.
	rows, _ = admin.Query(ctx, `SELECT id, updated_at FROM users WHERE id = ANY($1)`, s.damaged)
	type stamp struct {
		ID        int64
		UpdatedAt time.Time
	}
	stamps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[stamp])
	c.RequireNoError("read the profiles to damage", err)
	_, err = admin.Exec(ctx, `UPDATE users SET updated_at = 'infinity' WHERE id = ANY($1)`, s.damaged)
	c.RequireNoError("damage a few profiles", err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, st := range stamps {
			_, _ = admin.Exec(ctx, `UPDATE users SET updated_at = $2 WHERE id = $1`, st.ID, st.UpdatedAt)
		}
	})
	return s
}

// closePool closes the learner's pool, without hanging on a connection
// that was never given back.
func closePool(c *checker.Check, pool *pgxpool.Pool) {
	done := make(chan struct{})
	go func() { pool.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

// assertSized reads the pool's configuration: a maximum within the
// database's grant, connections kept open when quiet, and lifetimes that
// let connections be reused.
func assertSized(c *checker.Check, pool *pgxpool.Pool) {
	cfg := pool.Config()
	var problems []string
	switch {
	case cfg.MaxConns > budget:
		problems = append(problems, fmt.Sprintf("MaxConns is %s, but the database grants the service %d connections: "+
			"at the next burst the pool asks for more than the database will give, and requests fail with \"too many connections\" "+
			"instead of waiting for a free one. Set MaxConns to %d or less", checker.FormatCount(int64(cfg.MaxConns)), budget, budget))
	case cfg.MaxConns < 1:
		problems = append(problems, fmt.Sprintf("MaxConns is %d: a pool needs at least one connection", cfg.MaxConns))
	}
	switch {
	case cfg.MinConns < 1:
		problems = append(problems, "MinConns is 0: when the service is quiet the pool keeps no connection open, "+
			"and the first requests of the next burst each wait for a new one. Keep a few open (MinConns 2, say)")
	case cfg.MinConns > cfg.MaxConns:
		problems = append(problems, fmt.Sprintf("MinConns (%d) is above MaxConns (%d)", cfg.MinConns, cfg.MaxConns))
	}
	if cfg.MaxConnLifetime < time.Minute {
		what := fmt.Sprintf("MaxConnLifetime is %s", cfg.MaxConnLifetime)
		if cfg.MaxConnLifetime > 0 && cfg.MaxConnLifetime < time.Millisecond {
			what += " (a time.Duration written without a unit counts nanoseconds: 30 is 30ns, 30 * time.Minute is half an hour)"
		}
		if cfg.MaxConnLifetime <= 0 {
			what += ": pgxpool then never retires a connection"
		} else {
			what += ": a connection that old is closed when it is given back, so the pool opens a new one for almost every request"
		}
		problems = append(problems, what+". Retire connections after minutes, not less (pgxpool's default is an hour)")
	}
	ok := len(problems) == 0
	msg := fmt.Sprintf("MaxConns %d within the database's %d, MinConns %d kept open, connections retired after %s",
		cfg.MaxConns, budget, cfg.MinConns, cfg.MaxConnLifetime)
	if !ok {
		msg = strings.Join(problems, "; ")
	}
	c.Assert("pool sized within the budget", ok, msg, checker.Evidence{Counts: map[string]int64{
		"max_conns": int64(cfg.MaxConns), "min_conns": int64(cfg.MinConns), "budget": budget,
		"max_conn_lifetime_ms": cfg.MaxConnLifetime.Milliseconds(), "max_conn_idle_time_ms": cfg.MaxConnIdleTime.Milliseconds(),
	}})
}

// assertFaster times GetProfile against the check's own connection per
// request, in turns, in the same run.
func assertFaster(c *checker.Check, ctx context.Context, ex Exercise, pool *pgxpool.Pool, s *scene) {
	if !c.Timeable("faster than a connection per request") {
		return
	}
	ids := s.reads[:perSample]
	connCfg := c.Admin().Config().ConnConfig
	perRequest := func(ctx context.Context) error {
		for _, id := range ids {
			conn, err := pgx.ConnectConfig(ctx, connCfg)
			if err != nil {
				return err
			}
			var p Profile
			err = conn.QueryRow(ctx, profileQueryCheck, id).Scan(&p.ID, &p.Name, &p.Email, &p.UpdatedAt)
			conn.Close(ctx)
			if err != nil {
				return err
			}
		}
		return nil
	}
	yours := func(ctx context.Context) error {
		for _, id := range ids {
			if _, err := ex.GetProfile(ctx, pool, id); err != nil {
				return err
			}
		}
		return nil
	}
	tm, err := checker.Compare(ctx, perRequest, yours, checker.WithWarmups(1), checker.WithSamples(5),
		checker.WithBudget(10*time.Second), checker.WithLabels("a connection per request", "your GetProfile"))
	var te *checker.TimingError
	if errors.As(err, &te) && te.Label == "your GetProfile" {
		c.Assert("faster than a connection per request", false,
			fmt.Sprintf("GetProfile of an existing user failed while the check timed it: %v", te.Err), checker.Evidence{Timing: &tm})
		return
	}
	c.RequireNoError("time a connection per request", err)
	msg := fmt.Sprintf("%s: the pool saves the connection set-up, login and teardown of every request", tm)
	if tm.Ratio < minRatio {
		msg = fmt.Sprintf("%s; expected at least %.0f× faster. Opening a connection costs a login (password hashing on both sides) and a new server process; "+
			"a pool pays that once per connection, not once per request", tm, minRatio)
	}
	c.Assert("faster than a connection per request", tm.Ratio >= minRatio, msg, checker.Evidence{Timing: &tm})
}

// profileQueryCheck is the check's own copy of the profile query.
const profileQueryCheck = `SELECT id, name, email, updated_at FROM users WHERE id = $1`

// failure is one kind of failing request, made alone so that a connection
// it keeps can be pinned on it.
type failure struct {
	what string // for messages
	fix  string // how such a path loses its connection
	call func(ctx context.Context) (Profile, error)
	want func(err error) string // "" when the outcome is right
}

// assertErrorsGiveBack makes each kind of failing request once, one at a
// time, and reads the pool's checked-out connections after each.
func assertErrorsGiveBack(c *checker.Check, ctx context.Context, ex Exercise, pool *pgxpool.Pool, s *scene) {
	user, other := s.taken[0][0], s.taken[0][1]
	kinds := []failure{
		{what: fmt.Sprintf("GetProfile of user %d, who does not exist", s.missing[0]),
			fix:  "a path that returns before Release (defer conn.Release() right after Acquire)",
			call: func(ctx context.Context) (Profile, error) { return ex.GetProfile(ctx, pool, s.missing[0]) },
			want: ex.wantNotFound},
		{what: fmt.Sprintf("GetProfile of user %d, a damaged profile (its updated_at is 'infinity')", s.damaged[0]),
			fix:  "a return on that error path left the rows open (defer rows.Close() right after Query), or returned before Release",
			call: func(ctx context.Context) (Profile, error) { return ex.GetProfile(ctx, pool, s.damaged[0]) },
			want: ex.wantDamaged},
		{what: fmt.Sprintf("ChangeEmail of user %d to %s, the e-mail of user %d (the unique index refuses it)", user, s.emails[other], other),
			fix:  "the UPDATE failed and the function returned before Release (defer conn.Release() right after Acquire)",
			call: func(ctx context.Context) (Profile, error) { return ex.ChangeEmail(ctx, pool, user, s.emails[other]) },
			want: ex.wantRefused},
		{what: fmt.Sprintf("ChangeEmail of user %d, who does not exist", s.missing[1]),
			fix: "a path that returns before Release (defer conn.Release() right after Acquire)",
			call: func(ctx context.Context) (Profile, error) {
				return ex.ChangeEmail(ctx, pool, s.missing[1], movedEmail(s.missing[1]))
			},
			want: ex.wantNotFound},
	}
	var leaks, wrong []string
	counts := map[string]int64{}
	for i, k := range kinds {
		before := settled(pool)
		callCtx, cancel := context.WithTimeout(ctx, callLimit)
		_, err := k.call(callCtx)
		cancel()
		kept := settled(pool) - before
		counts[fmt.Sprintf("kept_after_request_%d", i+1)] = int64(kept)
		if kept > 0 {
			leaks = append(leaks, fmt.Sprintf("after %s, %d connection(s) stayed checked out: %s", k.what, kept, k.fix))
		}
		if problem := k.want(err); problem != "" {
			wrong = append(wrong, k.what+": "+problem)
		}
	}
	ok := len(leaks) == 0
	msg := fmt.Sprintf("%d failing requests (missing users, a damaged profile, a taken e-mail) each gave their connection back", len(kinds))
	if !ok {
		msg = "connection leaked: " + strings.Join(leaks, "; ") + ". Every connection leaked is one the pool never gets back: " +
			"after a few such errors it is empty and every request waits, then fails"
	}
	if len(wrong) > 0 {
		msg += ". Also: " + strings.Join(wrong, "; ")
	}
	c.Assert("failed requests give their connection back", ok, msg, checker.Evidence{Counts: counts})
}

func (ex Exercise) wantNotFound(err error) string {
	if errors.Is(err, ex.ErrNotFound) {
		return ""
	}
	return fmt.Sprintf("expected ErrNotFound, got %v", err)
}

func (ex Exercise) wantDamaged(err error) string {
	if errors.Is(err, ex.ErrDamaged) {
		return ""
	}
	return fmt.Sprintf("expected ErrDamaged, got %v", err)
}

func (ex Exercise) wantRefused(err error) string {
	if err != nil && !errors.Is(err, ex.ErrNotFound) {
		return ""
	}
	return fmt.Sprintf("expected the unique index's error, got %v", err)
}

// settled returns the pool's checked-out connections, giving a release
// that is happening right now a moment to land.
func settled(pool *pgxpool.Pool) int32 {
	deadline := time.Now().Add(leakSettle)
	for {
		n := pool.Stat().AcquiredConns()
		if n == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// assertExhaustion takes every connection of the pool, then sends a request
// of each kind: both must fail within the deadline rather than hang, or
// open a connection of their own.
func assertExhaustion(c *checker.Check, ctx context.Context, ex Exercise, pool *pgxpool.Pool, s *scene) {
	held, holdErr := holdAll(ctx, pool)
	if len(held) == 0 {
		c.Assert("an exhausted pool times out", false, fmt.Sprintf("the check could not borrow a single connection from your pool: %v", holdErr),
			checker.Evidence{Counts: map[string]int64{"max_conns": int64(pool.Config().MaxConns)}})
		return
	}
	var getErr, changeErr error
	var getTook, changeTook time.Duration
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		callCtx, cancel := context.WithTimeout(ctx, callLimit)
		defer cancel()
		start := time.Now()
		_, getErr = ex.GetProfile(callCtx, pool, s.reads[0])
		getTook = time.Since(start)
	}()
	go func() {
		defer wg.Done()
		callCtx, cancel := context.WithTimeout(ctx, callLimit)
		defer cancel()
		start := time.Now()
		_, changeErr = ex.ChangeEmail(callCtx, pool, s.missing[2], movedEmail(s.missing[2]))
		changeTook = time.Since(start)
	}()
	wg.Wait()
	for _, conn := range held {
		conn.Release()
	}

	ev := checker.Evidence{Counts: map[string]int64{
		"held_conns": int64(len(held)), "max_conns": int64(pool.Config().MaxConns),
		"get_profile_ms": getTook.Milliseconds(), "change_email_ms": changeTook.Milliseconds(),
	}}
	problems := []string{
		exhaustedProblem("GetProfile", getErr, getTook, len(held), ex.ErrNotFound),
		exhaustedProblem("ChangeEmail", changeErr, changeTook, len(held), ex.ErrNotFound),
	}
	problems = slicesCompact(problems)
	ok := len(problems) == 0
	msg := fmt.Sprintf("with all %d connections of the pool in use, GetProfile failed after %s and ChangeEmail after %s, with a deadline error: a request waits a bounded time for a connection, then gives up",
		len(held), getTook.Round(time.Millisecond), changeTook.Round(time.Millisecond))
	if !ok {
		msg = strings.Join(problems, "; ")
	}
	c.Assert("an exhausted pool times out", ok, msg, ev)
}

// holdAll acquires connections of the pool until it has none left to give
// or the database's grant is passed.
func holdAll(ctx context.Context, pool *pgxpool.Pool) ([]*pgxpool.Conn, error) {
	want := min(int(pool.Config().MaxConns), budget+1)
	var held []*pgxpool.Conn
	for len(held) < want {
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pool.Acquire(actx)
		cancel()
		if err != nil {
			return held, err
		}
		held = append(held, conn)
	}
	return held, nil
}

func exhaustedProblem(fn string, err error, took time.Duration, held int, errNotFound error) string {
	switch {
	case err == nil || errors.Is(err, errNotFound):
		answer := "its answer"
		if err != nil {
			answer = "ErrNotFound"
		}
		return fmt.Sprintf("with all %d connections of the pool in use, %s still got %s from the database: it did not wait for the pool, it opened a connection of its own. "+
			"Serve every request from the pool: that is what keeps the service within the database's connections", held, fn, answer)
	case took > hangLimit:
		return fmt.Sprintf("with all %d connections of the pool in use, %s waited %s and only failed when the check gave up (%v): "+
			"a request must not wait for ever. Give it a deadline: context.WithTimeout(ctx, AcquireTimeout) before you borrow a connection",
			held, fn, took.Round(time.Millisecond), err)
	case !errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("with all %d connections of the pool in use, %s failed after %s with %q, which is not a deadline error (errors.Is(err, context.DeadlineExceeded) is false): "+
			"let the request wait for a connection until its deadline, and return the error the deadline gives", held, fn, took.Round(time.Millisecond), err)
	}
	return ""
}

func slicesCompact(in []string) []string {
	var out []string
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// outcome is one request of the burst.
type outcome struct {
	kind    string
	id      int64
	profile Profile
	err     error
	took    time.Duration
}

// assertBurst sends 200 requests at once, of every kind, while it samples
// the server's connections.
//
// On a machine busy with other work, right code can run out of its own
// deadline (AcquireTimeout) in a burst: its requests then fail with a
// deadline error, and the cancelled ones hold their connections a moment
// longer. Such a burst is sent once more, after the pool has settled, and
// the second one stands. Every request of the burst can be sent twice: the
// moves set the same addresses again, and the users asked for a taken
// address are not among those moved.
func assertBurst(c *checker.Check, ctx context.Context, ex Exercise, pool *pgxpool.Pool, s *scene) {
	b := sendBurst(c, ctx, ex, pool, s)
	if b.ranOutOfTime() {
		waitForConns(pool, callLimit)
		b = sendBurst(c, ctx, ex, pool, s)
	}
	results, out, seen, newConns := b.results, b.out, b.seen, b.newConns
	kept := settled(pool)
	maxConns := int(pool.Config().MaxConns)
	assertBounded(c, seen, maxConns)
	assertReused(c, seen, newConns, maxConns)
	if len(out.Stuck)+out.Panicked > 0 {
		// The stuck requests may still write their results: read none.
		c.Assert("every request answered right", false, fmt.Sprintf("%s, though each had a deadline of %s: a request must return when its context ends",
			out, callLimit), checker.Evidence{Counts: out.Counts()})
	} else {
		assertAnswers(c, ctx, ex, s, results, out.Elapsed)
	}
	msg := fmt.Sprintf("after %d requests, the failing ones among them, every connection was back in the pool (pool.Stat().AcquiredConns() is 0)", requests)
	if kept > 0 {
		msg = fmt.Sprintf("connection leaked: after the burst of %d requests, %d connection(s) of your pool were still checked out (pool.Stat().AcquiredConns()). "+
			"Close every Rows, and Release every connection you Acquire, on the error paths too", requests, kept)
	}
	c.Assert("no connection checked out after the burst", kept == 0, msg, checker.Evidence{Counts: map[string]int64{
		"acquired_conns": int64(kept), "total_conns": int64(pool.Stat().TotalConns())}})
}

// burst is what one burst of requests gave.
type burst struct {
	results  []outcome
	out      checker.Outcome
	seen     seen
	newConns int64
}

// sendBurst sends the burst's requests at once, each with the check's own
// deadline, while a sampler watches the server's connections.
func sendBurst(c *checker.Check, ctx context.Context, ex Exercise, pool *pgxpool.Pool, s *scene) burst {
	plan := s.burstPlan()
	sampler, err := startSampler(c, ctx, s.app)
	c.RequireNoError("watch the server's connections", err)
	newBefore := pool.Stat().NewConnsCount()
	results := make([]outcome, len(plan))
	out := checker.RunConcurrently(ctx, len(plan), func(ctx context.Context, i int) error {
		ctx, cancel := context.WithTimeout(ctx, callLimit)
		defer cancel()
		o := plan[i]
		start := time.Now()
		defer func() { o.took = time.Since(start); results[i] = o }()
		switch o.kind {
		case "move":
			o.profile, o.err = ex.ChangeEmail(ctx, pool, o.id, movedEmail(o.id))
		case "taken":
			o.profile, o.err = ex.ChangeEmail(ctx, pool, o.id, s.emails[s.otherOf(o.id)])
		default:
			o.profile, o.err = ex.GetProfile(ctx, pool, o.id)
		}
		return nil
	}, checker.WithTimeout(3*callLimit))
	return burst{results: results, out: out, seen: sampler.stop(), newConns: pool.Stat().NewConnsCount() - newBefore}
}

// ranOutOfTime says whether a request of the burst failed with its
// deadline.
func (b burst) ranOutOfTime() bool {
	return slices.ContainsFunc(b.results, func(o outcome) bool { return errors.Is(o.err, context.DeadlineExceeded) })
}

// waitForConns waits, up to limit, until every connection is back in the
// pool: cancelled requests give theirs back late on a busy machine. A
// leaked connection never comes back; the burst after it shows it.
func waitForConns(pool *pgxpool.Pool, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for pool.Stat().AcquiredConns() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// burstPlan lists the burst's requests: mostly reads of existing users,
// and a share of every kind that fails or writes.
func (s *scene) burstPlan() []outcome {
	var plan []outcome
	for _, id := range s.reads {
		plan = append(plan, outcome{kind: "read", id: id})
	}
	for i := range missingEach {
		plan = append(plan, outcome{kind: "missing", id: s.missing[i]})
	}
	for i := range damagedEach {
		plan = append(plan, outcome{kind: "damaged", id: s.damaged[i%len(s.damaged)]})
	}
	for _, id := range s.moves {
		plan = append(plan, outcome{kind: "move", id: id})
	}
	for _, pair := range s.taken {
		plan = append(plan, outcome{kind: "taken", id: pair[0]})
	}
	return plan
}

func (s *scene) otherOf(id int64) int64 {
	for _, pair := range s.taken {
		if pair[0] == id {
			return pair[1]
		}
	}
	return 0
}

// seen is what the sampler saw of the server's connections.
type seen struct {
	peak    int
	pids    map[uint32]bool
	samples int
}

type sampler struct {
	done chan struct{}
	quit chan struct{}
	seen seen
}

// startSampler reads, over and over until stopped, the connections the
// check's role has open to its database besides the check's own: the
// learner's, however they were opened.
func startSampler(c *checker.Check, ctx context.Context, app string) (*sampler, error) {
	conn, err := c.Admin().Acquire(ctx)
	if err != nil {
		return nil, err
	}
	s := &sampler{done: make(chan struct{}), quit: make(chan struct{}), seen: seen{pids: map[uint32]bool{}}}
	go func() {
		defer close(s.done)
		defer conn.Release()
		for {
			rows, _ := conn.Query(ctx, `SELECT pid FROM pg_stat_activity
				WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()
				AND backend_type = 'client backend' AND application_name IS DISTINCT FROM $1`, app)
			pids, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
			if err == nil {
				s.seen.samples++
				s.seen.peak = max(s.seen.peak, len(pids))
				for _, p := range pids {
					s.seen.pids[p] = true
				}
			}
			select {
			case <-s.quit:
				return
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return s, nil
}

// stop ends the sampling and returns what it saw.
func (s *sampler) stop() seen {
	close(s.quit)
	<-s.done
	return s.seen
}

func assertBounded(c *checker.Check, sn seen, maxConns int) {
	limit := min(maxConns, budget)
	ok := sn.peak <= limit
	msg := fmt.Sprintf("at most %d connections at once on the server during the burst of %d requests (%d samples of pg_stat_activity), within your pool's maximum of %d",
		sn.peak, requests, sn.samples, maxConns)
	switch {
	case !ok && maxConns > budget:
		msg = fmt.Sprintf("%d connections at once on the server during the burst of %d requests: your pool's maximum of %s lets it ask for more than the database's %d, "+
			"and the requests beyond that were refused (\"too many connections\"). A bounded pool makes requests wait for a connection instead",
			sn.peak, requests, checker.FormatCount(int64(maxConns)), budget)
	case !ok:
		msg = fmt.Sprintf("%d connections at once on the server during the burst of %d requests (%d samples of pg_stat_activity), more than your pool's maximum of %d: "+
			"requests opened connections outside the pool (a connection, or a pool, per request). Serve every request from the one pool NewPool built",
			sn.peak, requests, sn.samples, maxConns)
	}
	c.Assert("never more connections than the pool's maximum", ok, msg, checker.Evidence{Counts: map[string]int64{
		"peak_connections": int64(sn.peak), "max_conns": int64(maxConns), "budget": budget, "samples": int64(sn.samples)}})
}

func assertReused(c *checker.Check, sn seen, newConns int64, maxConns int) {
	distinct := len(sn.pids)
	ok := newConns <= int64(maxConns) && distinct <= maxConns
	msg := fmt.Sprintf("%d requests were served by %d server connections; the pool opened %d new ones during the burst",
		requests, distinct, newConns)
	if !ok {
		msg = fmt.Sprintf("%d requests were served by %d different server connections, and your pool opened %s new ones during the burst, for a maximum of %d: "+
			"connections were not reused. Each new connection costs a login and a server process; a pool opens them once and hands them from request to request",
			requests, distinct, checker.FormatCount(newConns), maxConns)
	}
	c.Assert("connections reused", ok, msg, checker.Evidence{Counts: map[string]int64{
		"distinct_server_connections": int64(distinct), "new_pool_connections": newConns, "max_conns": int64(maxConns)}})
}

// assertAnswers compares every request's answer with the data: reads with
// the check's own reads, failures with the errors the lesson asks for, and
// the moves with the rows.
func assertAnswers(c *checker.Check, ctx context.Context, ex Exercise, s *scene, results []outcome, elapsed time.Duration) {
	var slowest time.Duration
	for _, o := range results {
		slowest = max(slowest, o.took)
	}
	wrong := map[string]int64{}
	var first []string
	note := func(kind, what string) {
		if wrong[kind] == 0 {
			first = append(first, what)
		}
		wrong[kind]++
	}
	for _, o := range results {
		switch o.kind {
		case "read":
			if o.err != nil {
				note("read", fmt.Sprintf("GetProfile(%d) failed: %v", o.id, o.err))
			} else if want := s.profiles[o.id]; !sameProfile(o.profile, want) {
				note("read", fmt.Sprintf("GetProfile(%d) returned %+v; the row holds %+v", o.id, o.profile, want))
			}
		case "missing":
			if p := ex.wantNotFound(o.err); p != "" {
				note("missing", fmt.Sprintf("GetProfile(%d), a user who does not exist: %s", o.id, p))
			}
		case "damaged":
			if p := ex.wantDamaged(o.err); p != "" {
				note("damaged", fmt.Sprintf("GetProfile(%d), a damaged profile: %s", o.id, p))
			}
		case "move":
			if o.err != nil {
				note("move", fmt.Sprintf("ChangeEmail(%d, %s) failed: %v", o.id, movedEmail(o.id), o.err))
			} else if o.profile.Email != movedEmail(o.id) {
				note("move", fmt.Sprintf("ChangeEmail(%d, %s) returned a profile with e-mail %q", o.id, movedEmail(o.id), o.profile.Email))
			}
		case "taken":
			if p := ex.wantRefused(o.err); p != "" {
				note("taken", fmt.Sprintf("ChangeEmail(%d) to another user's e-mail: %s", o.id, p))
			}
		}
	}
	var moved int64
	err := c.Admin().QueryRow(ctx, `SELECT count(*) FROM users WHERE id = ANY($1) AND email = 'moved.' || id || '@example.org'`, s.moves).Scan(&moved)
	c.RequireNoError("read the moved e-mails", err)
	if moved != movesEach && wrong["move"] == 0 {
		note("move", fmt.Sprintf("only %d of the %d users whose e-mail changed hold their new address", moved, movesEach))
	}
	total := wrong["read"] + wrong["missing"] + wrong["damaged"] + wrong["move"] + wrong["taken"]
	ok := total == 0
	msg := fmt.Sprintf("all %d requests of the burst got the right answer: %d profiles read, %d missing users not found, %d damaged profiles refused, %d e-mails changed, %d taken e-mails refused",
		requests, len(s.reads), missingEach, damagedEach, movesEach, takenEach)
	if !ok {
		msg = fmt.Sprintf("%d of the %d requests of the burst got a wrong answer: %s", total, requests, strings.Join(first, "; "))
		if strings.Contains(msg, "too many connections") || strings.Contains(msg, "53300") {
			msg += ". \"Too many connections\": the database refused a connection, because the service asked for more than its " +
				strconv.Itoa(budget) + ": serve the requests from a bounded pool and let them wait for a free connection"
		}
	}
	ev := checker.Evidence{Counts: map[string]int64{"wrong_reads": wrong["read"], "wrong_missing": wrong["missing"], "wrong_damaged": wrong["damaged"],
		"wrong_moves": wrong["move"], "wrong_taken": wrong["taken"], "moved_rows": moved,
		"burst_ms": elapsed.Milliseconds(), "slowest_request_ms": slowest.Milliseconds()}}
	c.Assert("every request answered right", ok, msg, ev)
}

func sameProfile(a, b Profile) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Email == b.Email && a.UpdatedAt.Equal(b.UpdatedAt)
}
