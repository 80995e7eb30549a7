// Package check is lesson 9's check: it scripts racing, crossing and
// half-failing transfers, runs a thousand at once, and takes the report
// while transfers commit, then compares every balance with the data. It
// lives in a package of its own, compiled once and cached, and the
// exercise's check_test.go hands it the learner's work: an edit then
// recompiles only the learner's file and that small shim.
package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

const (
	// The concurrent workload: transfers around a ring of accounts, each
	// from one account to the next, by goroutines at once.
	ringSize   = 10
	goroutines = 8
	transfers  = 1000
	// poolConns is the size of the pool the learner's code gets.
	poolConns = goroutines + 2
	// barrierWait bounds how long a scripted transfer waits for the other
	// one at the meeting point; the check lets it go at once when the
	// other is waiting for a lock it holds.
	barrierWait = 5 * time.Second
	// reportHooks bounds the transfers the check commits between the
	// report's statements, and hookAmount is what each one moves.
	reportHooks = 30
	hookAmount  = 100
	// hookLockWait is how long one of those transfers may wait for a lock
	// before the check calls the report blocking.
	hookLockWait = 500 * time.Millisecond
	// callLimit bounds one Transfer or TakeReport call of a scripted step.
	callLimit = 15 * time.Second
)

// Report is the check's copy of the exercise's Report, the bank's
// end-of-day statement, with the same fields.
type Report struct {
	Balances map[int64]int64 // every account's balance in cents, by id
	Total    int64           // the sum of the balances
}

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// Transfer is the learner's Transfer.
	Transfer func(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error
	// TakeReport is the learner's TakeReport, its report converted to the
	// check's Report.
	TakeReport func(ctx context.Context, db *pgxpool.Pool) (Report, error)
	// ErrInsufficientFunds is the exercise's ErrInsufficientFunds.
	ErrInsufficientFunds error
}

// Run is the check of lesson 9.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		"two transfers race for one balance":        2,
		"crossing transfers both go through":        2,
		"all or nothing when a leg fails":           2,
		"1,000 concurrent transfers add up":         2,
		"the report adds up while transfers commit": 2,
	}))
	ctx := c.Ctx()
	r := roles(c, ctx)
	db := learnerPool(c, ctx)
	defer closePool(db)

	assertAllOrNothing(c, ctx, ex, db, r)
	assertRace(c, ctx, ex, db, r)
	assertCrossing(c, ctx, ex, db, r)
	assertRing(c, ctx, ex, db, r)
	assertReport(c, ctx, ex, db, r)
	assertTransactionsEnded(c, db)
}

// cast gives each step of the check its own accounts, read from the data:
// the accounts ordered by balance, richest first, then the lowest and
// highest ids of the rest for the report.
type cast struct {
	raceFrom, raceTo1, raceTo2 int64 // two transfers race for raceFrom's money
	crossA, crossB             int64 // transfers from A to B and B to A at once
	legFrom, frozen, legTo     int64 // the second leg of a transfer fails
	ring                       []int64
	reportFirst, reportLast    int64 // the report's hook moves money between them
	accounts                   int64 // how many accounts the bank has
}

func roles(c *checker.Check, ctx context.Context) cast {
	rows, _ := c.Admin().Query(ctx, `SELECT id FROM accounts ORDER BY balance DESC, id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	c.RequireNoError("read the accounts", err)
	if len(ids) < 8+ringSize+2 {
		c.Require("read the accounts", false, fmt.Sprintf("the bank has %d accounts; the check needs %d", len(ids), 8+ringSize+2), checker.Evidence{})
	}
	r := cast{accounts: int64(len(ids))}
	r.raceFrom, r.raceTo1, r.raceTo2 = ids[0], ids[1], ids[2]
	r.crossA, r.crossB = ids[3], ids[4]
	r.legFrom, r.frozen, r.legTo = ids[5], ids[6], ids[7]
	r.ring = ids[8 : 8+ringSize]
	rest := ids[8+ringSize:]
	r.reportFirst, r.reportLast = rest[0], rest[0]
	for _, id := range rest {
		r.reportFirst, r.reportLast = min(r.reportFirst, id), max(r.reportLast, id)
	}
	return r
}

// learnerPool is the pool the learner's code gets: the check's traced
// settings, plus a tracer that lets the check run its script between the
// learner's statements.
func learnerPool(c *checker.Check, ctx context.Context) *pgxpool.Pool {
	cfg := c.Pool().Config()
	cfg.MaxConns = poolConns
	cfg.ConnConfig.Tracer = multitracer.New(cfg.ConnConfig.Tracer, scriptTracer{})
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	c.RequireNoError("open the database pool", err)
	return db
}

func closePool(db *pgxpool.Pool) {
	done := make(chan struct{})
	go func() { db.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

// ---- scripting the interleavings ----

// script is what the check does after each statement of one call of the
// learner's code; the call's context carries it.
type script interface {
	after(ctx context.Context, sql string)
}

type scriptKey struct{}
type sqlKey struct{}

func withScript(ctx context.Context, s script) context.Context {
	return context.WithValue(ctx, scriptKey{}, s)
}

// scriptTracer runs the script of the call a statement belongs to once the
// statement's result has been read.
type scriptTracer struct{}

func (scriptTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, sqlKey{}, data.SQL)
}

func (scriptTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if s, ok := ctx.Value(scriptKey{}).(script); ok {
		sql, _ := ctx.Value(sqlKey{}).(string)
		s.after(ctx, sql)
	}
}

func (scriptTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (scriptTracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	if s, ok := ctx.Value(scriptKey{}).(script); ok {
		s.after(ctx, data.SQL)
	}
}

func (scriptTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// meeting makes two transfers meet once each has run its first statement
// on the accounts table, so that both have read (or locked) before either
// goes on: the conflict the lesson is about happens every time, not when
// the scheduler is unlucky. When one of them is waiting for a lock the
// other holds, the other goes on at once: that wait is the conflict.
type meeting struct {
	c       *checker.Check
	mu      sync.Mutex
	arrived int
	open    chan struct{}
	opened  bool
}

func newMeeting(c *checker.Check) *meeting { return &meeting{c: c, open: make(chan struct{})} }

func (m *meeting) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.opened {
		m.opened = true
		close(m.open)
	}
}

// arrive counts one transfer in; the second one opens the meeting.
func (m *meeting) arrive() {
	m.mu.Lock()
	m.arrived++
	both := m.arrived >= 2
	m.mu.Unlock()
	if both {
		m.release()
	}
}

func (m *meeting) wait(ctx context.Context) {
	deadline := time.After(barrierWait)
	for {
		select {
		case <-m.open:
			return
		case <-ctx.Done():
			return
		case <-deadline:
			m.release()
			return
		case <-time.After(5 * time.Millisecond):
			if m.otherBlocked(ctx) {
				m.release()
				return
			}
		}
	}
}

// otherBlocked: is a connection of the check's role waiting for a lock?
// During a scripted step only the two transfers run, so that one is the
// other transfer, waiting for a row this one holds.
func (m *meeting) otherBlocked(ctx context.Context) bool {
	var n int
	err := m.c.Admin().QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND usename = current_user AND wait_event_type = 'Lock'`).Scan(&n)
	return err == nil && n > 0
}

// party is one transfer of a meeting: it waits at its first statement on
// the accounts table.
type party struct {
	m       *meeting
	arrived atomic.Bool
	saw     atomic.Int64 // statements seen
}

func (p *party) after(ctx context.Context, sql string) {
	p.saw.Add(1)
	if !strings.Contains(strings.ToLower(sql), "accounts") || p.arrived.Swap(true) {
		return
	}
	p.m.arrive()
	p.m.wait(ctx)
}

// pair runs two transfers that meet after their first statements.
type result struct {
	err  error
	seen int64
}

func (r result) String() string {
	if r.err == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", r.err.Error())
}

func runPair(c *checker.Check, ctx context.Context, ex Exercise, db *pgxpool.Pool, a, b [3]int64) (result, result) {
	m := newMeeting(c)
	parties := [2]*party{{m: m}, {m: m}}
	var out [2]result
	var wg sync.WaitGroup
	for i, t := range [2][3]int64{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			callCtx, cancel := context.WithTimeout(withScript(ctx, parties[i]), callLimit)
			defer cancel()
			out[i].err = ex.Transfer(callCtx, db, t[0], t[1], t[2])
			out[i].seen = parties[i].saw.Load()
		}()
	}
	wg.Wait()
	return out[0], out[1]
}

// ---- the steps ----

// assertRace: the first account holds X; two transfers of 60% of X each
// start from it at once. Exactly one may go through.
func assertRace(c *checker.Check, ctx context.Context, ex Exercise, db *pgxpool.Pool, r cast) {
	ids := []int64{r.raceFrom, r.raceTo1, r.raceTo2}
	before := balances(c, ctx, ids...)
	x := before[r.raceFrom]
	amount := x * 6 / 10
	r1, r2 := runPair(c, ctx, ex, db, [3]int64{r.raceFrom, r.raceTo1, amount}, [3]int64{r.raceFrom, r.raceTo2, amount})
	after := balances(c, ctx, ids...)

	won1, won2 := r1.err == nil, r2.err == nil
	refused := func(r result) bool { return errors.Is(r.err, ex.ErrInsufficientFunds) }
	want := map[int64]int64{r.raceFrom: x - amount, r.raceTo1: before[r.raceTo1], r.raceTo2: before[r.raceTo2]}
	if won1 {
		want[r.raceTo1] += amount
	} else {
		want[r.raceTo2] += amount
	}
	exact := after[r.raceFrom] == want[r.raceFrom] && after[r.raceTo1] == want[r.raceTo1] && after[r.raceTo2] == want[r.raceTo2]
	ok := (won1 && refused(r2) || won2 && refused(r1)) && exact

	desc := fmt.Sprintf("account %d held %s cents; two transfers of %s cents each, to accounts %d and %d, started at once and both read the balance before going on",
		r.raceFrom, fmtInt(x), fmtInt(amount), r.raceTo1, r.raceTo2)
	var msg string
	switch {
	case r1.seen == 0 || r2.seen == 0:
		msg = "the check could not see your Transfer's statements: pass the ctx Transfer gets to every database call (db.Begin(ctx), tx.Exec(ctx, …)), so that the check can run two transfers side by side"
		ok = false
	case retryable(r1.err) || retryable(r2.err):
		msg = fmt.Sprintf("%s. One of them returned %s: the database detected the conflict and aborted that transaction, and your code handed the error to the caller. "+
			"A serialization failure (40001) or a deadlock (40P01) means \"try again\": run the whole transaction again, a bounded number of times (say 5), "+
			"and the retry finds the balance the other transfer left: insufficient funds", desc, pick(r1, r2, retryable))
	case after[r.raceFrom] < 0:
		msg = fmt.Sprintf("%s. Both went through and account %d is at %s cents: each checked the balance before the other had taken its share. "+
			"Lock the row before you read it (SELECT … FOR UPDATE, in the transaction that then updates it), or make the debit itself check "+
			"(UPDATE … SET balance = balance - $2 WHERE id = $1 AND balance >= $2) and refuse when it matched no row",
			desc, r.raceFrom, fmtInt(after[r.raceFrom]))
	case won1 && won2:
		msg = fmt.Sprintf("%s. Both returned nil, though the money was there for one: account %d holds %s cents, and accounts %d and %d got %s cents each. "+
			"One transfer's write overwrote the other's (a lost update), and money was created. Lock the row before you read it (SELECT … FOR UPDATE), "+
			"or let the UPDATE compute the balance (balance = balance - $2) with a condition",
			desc, r.raceFrom, fmtInt(after[r.raceFrom]), r.raceTo1, r.raceTo2, fmtInt(amount))
	case !won1 && !won2:
		msg = fmt.Sprintf("%s. Both failed (%s and %s), though the money was there for one of them", desc, r1, r2)
	case !refused(r1) && !refused(r2):
		msg = fmt.Sprintf("%s. The loser returned %s; expected ErrInsufficientFunds (errors.Is), so that the caller can tell a refusal from a failure", desc, pick(r1, r2, func(err error) bool { return err != nil }))
	case !exact:
		msg = fmt.Sprintf("%s. One went through and one was refused, but the balances are wrong: account %d holds %s (expected %s), %d holds %s (expected %s), %d holds %s (expected %s)",
			desc, r.raceFrom, fmtInt(after[r.raceFrom]), fmtInt(want[r.raceFrom]), r.raceTo1, fmtInt(after[r.raceTo1]), fmtInt(want[r.raceTo1]),
			r.raceTo2, fmtInt(after[r.raceTo2]), fmtInt(want[r.raceTo2]))
	default:
		msg = fmt.Sprintf("%s. One went through, the other returned ErrInsufficientFunds, and account %d holds %s cents: the second transfer saw the first one's debit",
			desc, r.raceFrom, fmtInt(after[r.raceFrom]))
	}
	c.Assert("two transfers race for one balance", ok, msg, checker.Evidence{Counts: map[string]int64{
		"balance_before": x, "amount": amount, "balance_after": after[r.raceFrom], "succeeded": count(won1, won2)}})
}

// assertCrossing: transfers from A to B and from B to A at once, each
// meeting the other after its first statement.
func assertCrossing(c *checker.Check, ctx context.Context, ex Exercise, db *pgxpool.Pool, r cast) {
	before := balances(c, ctx, r.crossA, r.crossB)
	ab, ba := before[r.crossA]/10, before[r.crossB]/10
	r1, r2 := runPair(c, ctx, ex, db, [3]int64{r.crossA, r.crossB, ab}, [3]int64{r.crossB, r.crossA, ba})
	after := balances(c, ctx, r.crossA, r.crossB)
	wantA, wantB := before[r.crossA]-ab+ba, before[r.crossB]+ab-ba
	ok := r1.err == nil && r2.err == nil && after[r.crossA] == wantA && after[r.crossB] == wantB
	desc := fmt.Sprintf("a transfer from account %d to %d and one from %d to %d started at once, each going on once the other had run its first statement",
		r.crossA, r.crossB, r.crossB, r.crossA)
	var msg string
	switch {
	case r1.seen == 0 || r2.seen == 0:
		msg = "the check could not see your Transfer's statements: pass the ctx Transfer gets to every database call"
		ok = false
	case checker.IsDeadlock(r1.err) || checker.IsDeadlock(r2.err):
		msg = fmt.Sprintf("%s. One of them returned %s: each had locked its own source account and waited for the other's, a deadlock, and Postgres aborted one. "+
			"Lock the two accounts in the same order in every transfer (the smaller id first), so the second transfer waits for the first instead of holding what it needs; "+
			"or retry on 40P01, a bounded number of times", desc, pick(r1, r2, checker.IsDeadlock))
	case retryable(r1.err) || retryable(r2.err):
		msg = fmt.Sprintf("%s. One of them returned %s, and your code handed it to the caller: retry the transaction on 40001 and 40P01, a bounded number of times", desc, pick(r1, r2, retryable))
	case r1.err != nil || r2.err != nil:
		msg = fmt.Sprintf("%s. They returned %s and %s; both accounts had the money, so both should go through", desc, r1, r2)
	case !ok:
		msg = fmt.Sprintf("%s. Both returned nil, but account %d holds %s cents (expected %s) and %d holds %s (expected %s)",
			desc, r.crossA, fmtInt(after[r.crossA]), fmtInt(wantA), r.crossB, fmtInt(after[r.crossB]), fmtInt(wantB))
	default:
		msg = fmt.Sprintf("%s. Both went through with no deadlock, and both balances are exact", desc)
	}
	c.Assert("crossing transfers both go through", ok, msg, checker.Evidence{Counts: map[string]int64{
		"a_before": before[r.crossA], "a_after": after[r.crossA], "b_before": before[r.crossB], "b_after": after[r.crossB]}})
}

// assertAllOrNothing freezes an account (a trigger refuses every change to
// it) and transfers to it and from it: each transfer must fail and leave
// every balance as it was, whichever leg it runs first.
func assertAllOrNothing(c *checker.Check, ctx context.Context, ex Exercise, db *pgxpool.Pool, r cast) {
	admin := c.Admin()
	_, err := admin.Exec(ctx, `CREATE FUNCTION dblings_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'account % is frozen', OLD.id USING ERRCODE = 'P0001'; END $$`)
	c.RequireNoError("freeze an account", err)
	_, err = admin.Exec(ctx, fmt.Sprintf(`CREATE TRIGGER dblings_frozen BEFORE UPDATE ON accounts FOR EACH ROW
		WHEN (OLD.id = %d) EXECUTE FUNCTION dblings_frozen()`, r.frozen))
	c.RequireNoError("freeze an account", err)
	defer func() {
		// A transaction your code left open would make the DROP wait for
		// its locks: wait a second at most (the trigger then stays, and
		// "every transaction ended" says why).
		_ = pgx.BeginFunc(context.WithoutCancel(ctx), admin, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '1s'`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP TRIGGER IF EXISTS dblings_frozen ON accounts`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `DROP FUNCTION IF EXISTS dblings_frozen()`)
			return err
		})
	}()

	ids := []int64{r.legFrom, r.frozen, r.legTo}
	before := balances(c, ctx, ids...)
	in, out := before[r.legFrom]/10, before[r.frozen]/10
	callCtx, cancel := context.WithTimeout(ctx, callLimit)
	errIn := ex.Transfer(callCtx, db, r.legFrom, r.frozen, in)
	errOut := ex.Transfer(callCtx, db, r.frozen, r.legTo, out)
	cancel()
	after := balances(c, ctx, ids...)

	var problems []string
	for _, t := range []struct {
		from, to, amount int64
		err              error
	}{{r.legFrom, r.frozen, in, errIn}, {r.frozen, r.legTo, out, errOut}} {
		other := t.from
		if other == r.frozen {
			other = t.to
		}
		switch {
		case t.err == nil:
			problems = append(problems, fmt.Sprintf("the transfer of %s cents from account %d to %d returned nil, though the UPDATE of frozen account %d failed: the caller believes money moved",
				fmtInt(t.amount), t.from, t.to, r.frozen))
		case after[other] != before[other]:
			problems = append(problems, fmt.Sprintf("the transfer of %s cents from account %d to %d failed (%v), yet account %d went from %s to %s cents: "+
				"the leg that worked was committed before the other failed, and %s cents %s. Run both UPDATEs in one transaction, and roll it back when anything fails",
				fmtInt(t.amount), t.from, t.to, t.err, other, fmtInt(before[other]), fmtInt(after[other]), fmtInt(abs(after[other]-before[other])), vanished(after[other]-before[other])))
		}
	}
	ok := len(problems) == 0
	msg := fmt.Sprintf("account %d was frozen (every UPDATE of it fails): the transfers to it and from it both failed, and accounts %d, %d and %d kept their balances",
		r.frozen, r.legFrom, r.frozen, r.legTo)
	if !ok {
		msg = strings.Join(problems, "; ")
	}
	c.Assert("all or nothing when a leg fails", ok, msg, checker.Evidence{Counts: map[string]int64{
		"from_before": before[r.legFrom], "from_after": after[r.legFrom], "to_before": before[r.legTo], "to_after": after[r.legTo]}})
}

func vanished(delta int64) string {
	if delta < 0 {
		return "vanished"
	}
	return "were created"
}

// assertRing runs 1,000 transfers around the ring, each from one account
// to the next, from 8 goroutines at once, and compares every balance with
// the transfers that reported success.
func assertRing(c *checker.Check, ctx context.Context, ex Exercise, db *pgxpool.Pool, r cast) {
	before := balances(c, ctx, r.ring...)
	low := before[r.ring[0]]
	for _, id := range r.ring {
		low = min(low, before[id])
	}
	step := max(low/20, 2)
	type move struct {
		from, to, amount int64
		err              error
	}
	moves := make([]move, transfers)
	for k := range moves {
		moves[k] = move{from: r.ring[k%ringSize], to: r.ring[(k+1)%ringSize], amount: 1 + int64(k*7919)%step}
	}
	out := checker.RunConcurrently(ctx, goroutines, func(ctx context.Context, g int) error {
		for k := g; k < transfers; k += goroutines {
			moves[k].err = ex.Transfer(ctx, db, moves[k].from, moves[k].to, moves[k].amount)
		}
		return nil
	}, checker.WithTimeout(60*time.Second))
	if len(out.Stuck)+out.Panicked > 0 {
		c.Assert("1,000 concurrent transfers add up", false, out.String()+": every Transfer must return, within a minute for the thousand", checker.Evidence{Counts: out.Counts()})
		return
	}
	after := balances(c, ctx, r.ring...)
	want := map[int64]int64{}
	for id, b := range before {
		want[id] = b
	}
	var succeeded, refusedN, deadlocks, serialization, others int64
	var firstOther error
	for _, m := range moves {
		switch {
		case m.err == nil:
			succeeded++
			want[m.from] -= m.amount
			want[m.to] += m.amount
		case errors.Is(m.err, ex.ErrInsufficientFunds):
			refusedN++
		case checker.IsDeadlock(m.err):
			deadlocks++
		case checker.IsSerializationFailure(m.err):
			serialization++
		default:
			others++
			if firstOther == nil {
				firstOther = m.err
			}
		}
	}
	var sumBefore, sumAfter int64
	var wrong, negative []string
	for _, id := range r.ring {
		sumBefore += before[id]
		sumAfter += after[id]
		if after[id] != want[id] {
			wrong = append(wrong, fmt.Sprintf("account %d holds %s cents, expected %s", id, fmtInt(after[id]), fmtInt(want[id])))
		}
		if after[id] < 0 {
			negative = append(negative, fmt.Sprintf("account %d is at %s cents", id, fmtInt(after[id])))
		}
	}
	desc := fmt.Sprintf("%d goroutines made %s transfers around a ring of %d accounts: %s went through, %s were refused for insufficient funds",
		goroutines, fmtInt(transfers), ringSize, fmtInt(succeeded), fmtInt(refusedN))
	ok := deadlocks+serialization+others == 0 && len(wrong) == 0 && len(negative) == 0
	msg := desc + "; every balance is its starting balance plus the transfers that succeeded, and the ring's total did not move"
	switch {
	case deadlocks+serialization > 0:
		msg = fmt.Sprintf("%s, and %s deadlocks (40P01) and %s serialization failures (40001) reached the caller: retry those, a bounded number of times, or avoid them (lock in id order)",
			desc, fmtInt(deadlocks), fmtInt(serialization))
	case others > 0:
		msg = fmt.Sprintf("%s, and %s returned another error, the first: %v", desc, fmtInt(others), firstOther)
	case len(negative) > 0:
		msg = fmt.Sprintf("%s; %s: a transfer took money that another had already taken", desc, strings.Join(negative, ", "))
	case len(wrong) > 0:
		msg = fmt.Sprintf("%s; the ring's total went from %s to %s cents, and %s: some transfers changed one balance and not the other, or were applied twice or lost",
			desc, fmtInt(sumBefore), fmtInt(sumAfter), strings.Join(wrong[:min(3, len(wrong))], ", "))
	}
	c.Assert("1,000 concurrent transfers add up", ok, msg, checker.Evidence{Counts: map[string]int64{
		"succeeded": succeeded, "insufficient_funds": refusedN, "deadlocks": deadlocks, "serialization_failures": serialization,
		"other_errors": others, "total_before": sumBefore, "total_after": sumAfter, "elapsed_ms": out.Elapsed.Milliseconds()}})
}

// reportScript commits a transfer of the check's own after each statement
// of the report, from one end of the accounts to the other.
type reportScript struct {
	c        *checker.Check
	from, to int64
	mu       sync.Mutex
	hooks    int
	err      error
}

func (s *reportScript) after(ctx context.Context, _ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hooks >= reportHooks || s.err != nil {
		return
	}
	err := pgx.BeginFunc(ctx, s.c.Admin(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL lock_timeout = '%dms'`, hookLockWait.Milliseconds())); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1`, s.from, hookAmount); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, s.to, hookAmount)
		return err
	})
	if err != nil {
		s.err = err
		return
	}
	s.hooks++
}

// assertReport takes the report while the check commits a transfer after
// each of its statements: the total must be the bank's, to the cent.
func assertReport(c *checker.Check, ctx context.Context, ex Exercise, db *pgxpool.Pool, r cast) {
	var total, n int64
	c.RequireNoError("add up the bank", c.Admin().QueryRow(ctx, `SELECT sum(balance), count(*) FROM accounts`).Scan(&total, &n))
	s := &reportScript{c: c, from: r.reportFirst, to: r.reportLast}
	c.QueryLog().Reset()
	callCtx, cancel := context.WithTimeout(withScript(ctx, s), callLimit)
	rep, err := ex.TakeReport(callCtx, db)
	cancel()
	queries := c.QueryLog().Queries()
	s.mu.Lock()
	hooks, hookErr := s.hooks, s.err
	s.mu.Unlock()

	var sum int64
	for _, b := range rep.Balances {
		sum += b
	}
	desc := fmt.Sprintf("after each of the %d statements of your report, the check committed a transfer of %s cents from account %d to account %d (%d in all)",
		len(queries), fmtInt(hookAmount), r.reportFirst, r.reportLast, hooks)
	ok := err == nil && hookErr == nil && rep.Total == total && sum == total && int64(len(rep.Balances)) == n
	var msg string
	switch {
	case err != nil:
		msg = fmt.Sprintf("TakeReport failed: %v", err)
	case hookErr != nil && checker.IsLockTimeout(hookErr):
		msg = fmt.Sprintf("while your report ran, a transfer of the check's waited more than %s for a lock and gave up: the report locks the accounts, and the whole bank waits for it. "+
			"A snapshot (REPEATABLE READ) gives a consistent picture without a single lock", hookHuman())
	case hookErr != nil:
		msg = fmt.Sprintf("the check's transfer between your report's statements failed: %v", hookErr)
	case int64(len(rep.Balances)) != n:
		msg = fmt.Sprintf("the report lists %s accounts; the bank has %s", fmtInt(int64(len(rep.Balances))), fmtInt(n))
	case rep.Total != sum:
		msg = fmt.Sprintf("the report's Total is %s cents, but its balances add up to %s", fmtInt(rep.Total), fmtInt(sum))
	case rep.Total != total:
		msg = fmt.Sprintf("%s; those transfers move money but never change the total, yet your report says %s cents where the bank holds %s, %s off: "+
			"its statements saw the bank at different moments, account %d before a transfer and account %d after it. %s",
			desc, fmtInt(rep.Total), fmtInt(total), fmtInt(abs(rep.Total-total)), r.reportFirst, r.reportLast, isolationAdvice(queries))
	default:
		msg = fmt.Sprintf("%s; your report still adds up to the bank's %s cents, over all %s accounts: it saw one moment", desc, fmtInt(total), fmtInt(n))
	}
	c.Assert("the report adds up while transfers commit", ok, msg, checker.Evidence{
		Queries: checker.Statements(queries),
		Counts:  map[string]int64{"bank_total": total, "report_total": rep.Total, "accounts": n, "report_accounts": int64(len(rep.Balances)), "transfers_during_report": int64(hooks)}})
}

func hookHuman() string { return hookLockWait.String() }

// isolationAdvice reads the report's statements to say why it saw several
// moments.
func isolationAdvice(queries []checker.Query) string {
	var begins []string
	for _, q := range queries {
		sql := strings.ToLower(strings.TrimSpace(q.SQL))
		if strings.HasPrefix(sql, "begin") || strings.HasPrefix(sql, "start transaction") || strings.Contains(sql, "isolation level") {
			begins = append(begins, sql)
		}
	}
	joined := strings.Join(begins, " ")
	switch {
	case len(begins) == 0:
		return "Without a transaction every statement takes its own snapshot of the data (READ COMMITTED, the default): " +
			"read all the pages in one transaction at REPEATABLE READ, whose snapshot is taken once, at its first query"
	case strings.Contains(joined, "repeatable read") || strings.Contains(joined, "serializable"):
		return "Your report did ask for a snapshot: make sure every page is read inside that transaction (tx.Query, not db.Query)"
	default:
		return "Your report runs in a transaction at READ COMMITTED, the default, where every statement takes a fresh snapshot: " +
			"a transaction alone does not freeze what you read. Begin it at REPEATABLE READ (pgx.TxOptions{IsoLevel: pgx.RepeatableRead})"
	}
}

// assertTransactionsEnded: every Transfer and report has ended its
// transaction and given its connection back.
func assertTransactionsEnded(c *checker.Check, db *pgxpool.Pool) {
	deadline := time.Now().Add(500 * time.Millisecond)
	n := db.Stat().AcquiredConns()
	for n > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = db.Stat().AcquiredConns()
	}
	msg := "every transaction ended, and every connection went back to the pool"
	if n > 0 {
		msg = fmt.Sprintf("%d connection(s) still checked out after your code returned: a transaction left open (no Commit or Rollback on some path) "+
			"keeps its connection and its row locks, and every transfer that needs those rows waits. defer tx.Rollback(ctx) right after Begin, or use pgx.BeginFunc", n)
	}
	c.Assert("every transaction ended", n == 0, msg, checker.Evidence{Counts: map[string]int64{"acquired_conns": int64(n)}})
}

// ---- helpers ----

func balances(c *checker.Check, ctx context.Context, ids ...int64) map[int64]int64 {
	rows, _ := c.Admin().Query(ctx, `SELECT id, balance FROM accounts WHERE id = ANY($1)`, ids)
	out := map[int64]int64{}
	var id, b int64
	_, err := pgx.ForEachRow(rows, []any{&id, &b}, func() error { out[id] = b; return nil })
	c.RequireNoError("read the balances", err)
	return out
}

func retryable(err error) bool { return checker.IsDeadlock(err) || checker.IsSerializationFailure(err) }

func pick(a, b result, match func(error) bool) string {
	if match(a.err) {
		return a.String()
	}
	return b.String()
}

func count(bs ...bool) int64 {
	var n int64
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func fmtInt(n int64) string { return checker.FormatCount(n) }
