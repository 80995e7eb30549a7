// Package check is lesson 4's check: many goroutines deposit into the same
// accounts through the learner's Update, and another writer gets in first,
// to prove that no update is lost, none is written twice and no row is
// locked. It lives in a package of its own, compiled once and cached, and
// the exercise's check_test.go hands it the learner's work: an edit then
// recompiles only the learner's file and that short shim.
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
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

const (
	goroutines  = 8
	updatesEach = 50
	// maxAttempts is ample: with four writers per account, an Update that
	// retries on a fresh read wins within a few attempts.
	maxAttempts = 100
	// window is how long change takes, between the read and the write. It
	// makes conflicts certain rather than a matter of scheduling luck.
	window = time.Millisecond
	// ourDeposit is what the check's change adds; rivalDeposit is what the
	// other writer adds when it gets in first. Both in cents.
	ourDeposit   = 100
	rivalDeposit = 1_000
	// rivalLimit bounds the other writer in the give-up test, so that an
	// Update that retries forever still ends, and can be told about it.
	rivalLimit = 20
)

// hotAccounts are the rows every goroutine updates.
var hotAccounts = []int64{1, 2}

// lockClause finds statements that lock rows or tables: the pessimistic way.
var lockClause = checker.SQLMatches(`\bfor\s+(no\s+key\s+)?update\b|\bfor\s+(key\s+)?share\b|\block\s+table\b|\bpg_(try_)?advisory`)

// Account is the check's copy of the exercise's Account, field for field:
// one row of the accounts table.
type Account struct {
	ID      int64
	Owner   string
	Balance int64 // in cents
	Version int64
}

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// Update is the learner's Update, its change working on the check's
	// Account.
	Update func(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error
	// ErrConflict is the exercise's ErrConflict.
	ErrConflict error
}

// Run is the check of lesson 4.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithMaxConns(goroutines))
	ctx := c.Ctx()

	assertConcurrentUpdates(c, ctx, ex)
	assertRetriesAfterConflict(c, ctx, ex, 3)
	assertGivesUp(c, ctx, ex, 4)
	assertRefusedChangeWritesNothing(c, ctx, ex, 5)
}

// tally counts, per account, the Update calls that returned nil and what
// they added, and how many gave up with ErrConflict.
type tally struct {
	mu        sync.Mutex
	succeeded map[int64]int64
	added     map[int64]int64
	gaveUp    int
}

func (t *tally) record(id, amount int64, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.gaveUp++
		return
	}
	t.succeeded[id]++
	t.added[id] += amount
}

// assertConcurrentUpdates runs 8 goroutines making 50 deposits each, spread
// over the same two accounts.
func assertConcurrentUpdates(c *checker.Check, ctx context.Context, ex Exercise) {
	before := readAccounts(c, ctx)
	c.QueryLog().Reset()
	var calls atomic.Int64
	tl := &tally{succeeded: map[int64]int64{}, added: map[int64]int64{}}
	out := checker.RunConcurrently(ctx, goroutines, func(ctx context.Context, g int) error {
		for j := range updatesEach {
			id, amount := hotAccounts[(g+j)%len(hotAccounts)], int64(g+1)
			err := ex.Update(ctx, c.Pool(), id, maxAttempts, func(a *Account) error {
				calls.Add(1)
				time.Sleep(window)
				a.Balance += amount
				return nil
			})
			if err != nil && !errors.Is(err, ex.ErrConflict) {
				return err
			}
			tl.record(id, amount, err)
		}
		return nil
	}, checker.WithTimeout(60*time.Second))
	ev := checker.Evidence{Counts: out.Counts()}
	ok := out.Failed+out.Panicked+len(out.Stuck) == 0
	msg := fmt.Sprintf("%d goroutines made %d updates each, all of them returned", goroutines, updatesEach)
	if !ok {
		msg = fmt.Sprintf("%s; expected every Update to return nil or ErrConflict, within a minute", out)
	}
	if !c.Assert("every goroutine finished", ok, msg, ev) && len(out.Stuck) > 0 {
		return // the stuck goroutines may still write: nothing below would be sure
	}

	after := readAccounts(c, ctx)
	queries := c.QueryLog().Queries()
	assertNoLostUpdate(c, before, after, tl)
	assertVersions(c, before, after, tl)
	assertConflictsRetried(c, queries, calls.Load(), tl)
	assertNoRowLocks(c, queries)
}

func assertNoLostUpdate(c *checker.Check, before, after map[int64]Account, tl *tally) {
	var problems []string
	for _, id := range hotAccounts {
		want := before[id].Balance + tl.added[id]
		got := after[id].Balance
		switch {
		case got < want:
			problems = append(problems, fmt.Sprintf("account %d ends with %s cents, but it started with %s and the %s Update calls that returned nil added %s: %s cents were lost",
				id, fmtInt(got), fmtInt(before[id].Balance), fmtInt(tl.succeeded[id]), fmtInt(tl.added[id]), fmtInt(want-got)))
		case got > want:
			problems = append(problems, fmt.Sprintf("account %d ends with %s cents, %s more than its %s plus the %s added by the Update calls that returned nil: a change was applied to a stale balance or twice",
				id, fmtInt(got), fmtInt(got-want), fmtInt(before[id].Balance), fmtInt(tl.added[id])))
		}
	}
	ok := len(problems) == 0
	msg := fmt.Sprintf("both accounts end with exactly their starting balance plus the %s deposits that succeeded", fmtInt(tl.succeeded[1]+tl.succeeded[2]))
	if !ok {
		msg = strings.Join(problems, "; ") + ". Two goroutines read the same balance and the later write overwrote the earlier one: write only if the version is still the one you read"
	}
	c.Assert("no lost update", ok, msg, checker.Evidence{Counts: balanceCounts(before, after, tl)})
}

func assertVersions(c *checker.Check, before, after map[int64]Account, tl *tally) {
	var problems []string
	for _, id := range hotAccounts {
		if got, want := after[id].Version, before[id].Version+tl.succeeded[id]; got != want {
			problems = append(problems, fmt.Sprintf("account %d went from version %d to %d while %d updates succeeded; expected %d",
				id, before[id].Version, got, tl.succeeded[id], want))
		}
	}
	ok := len(problems) == 0
	msg := "each account's version grew by exactly its number of successful updates"
	if !ok {
		msg = strings.Join(problems, "; ") + ". Each successful write must bump the version by one (SET version = version + 1), so that every writer still holding the old version loses"
	}
	c.Assert("version advanced once per update", ok, msg, checker.Evidence{Counts: balanceCounts(before, after, tl)})
}

// assertConflictsRetried requires conflicts that the code detected (an
// UPDATE that matched no row, or a serialization failure) and retried
// (change ran again on a fresh read).
func assertConflictsRetried(c *checker.Check, queries []checker.Query, calls int64, tl *tally) {
	var updates, conflicts int64
	for _, q := range queries {
		if q.Tag.Update() {
			updates++
		}
		if q.Tag.Update() && q.Tag.RowsAffected() == 0 && q.Err == nil || checker.IsSerializationFailure(q.Err) {
			conflicts++
		}
	}
	retries := calls - goroutines*updatesEach
	ev := checker.Evidence{Counts: map[string]int64{"updates_sent": updates, "conflicts": conflicts,
		"change_calls": calls, "update_calls": goroutines * updatesEach, "gave_up": int64(tl.gaveUp)}}
	ok := conflicts > 0 && retries > 0
	var msg string
	switch {
	case ok:
		msg = fmt.Sprintf("%s of your UPDATEs found the account already changed by another goroutine, and change ran %s extra times: conflicts were detected and retried on a fresh read",
			fmtInt(conflicts), fmtInt(retries))
	case conflicts == 0 && len(locks(queries)) > 0:
		msg = "no conflict was ever detected, because writers waited for each other's row locks instead (see \"no row locks\")"
	case conflicts == 0:
		msg = fmt.Sprintf("%d goroutines updated the same %d accounts at once, yet none of your %s UPDATEs matched 0 rows: the UPDATE does not compare the version it read, so a write made in between is overwritten instead of detected. Add AND version = <the version you read> to its WHERE clause",
			goroutines, len(hotAccounts), fmtInt(updates))
	default:
		msg = fmt.Sprintf("%s of your UPDATEs matched no row, yet change ran only once per Update: a lost conflict must be retried from a fresh read of the account, applying change again", fmtInt(conflicts))
	}
	if tl.gaveUp > 0 {
		msg += fmt.Sprintf("; %s of %s Update calls gave up with ErrConflict although maxAttempts was %d", fmtInt(int64(tl.gaveUp)), fmtInt(goroutines*updatesEach), maxAttempts)
		ok = false
	}
	c.Assert("conflicts detected and retried", ok, msg, ev)
}

func assertNoRowLocks(c *checker.Check, queries []checker.Query) {
	locked := locks(queries)
	msg := "no statement locked a row: writers never waited for each other"
	if len(locked) > 0 {
		msg = fmt.Sprintf("your code sent %s statements that take locks, such as %q: a locked row makes every other writer wait until the transaction ends. That is pessimistic locking; optimistic locking takes no lock and catches the conflict when it writes, thanks to the version column",
			fmtInt(int64(len(locked))), checker.OneLine(locked[0].SQL))
	}
	c.Assert("no row locks", len(locked) == 0, msg, checker.Evidence{Queries: checker.Statements(locked)})
}

// assertRetriesAfterConflict lets another writer win twice while change
// runs: the third attempt must read the account again and succeed.
func assertRetriesAfterConflict(c *checker.Check, ctx context.Context, ex Exercise, id int64) {
	before := readAccount(c, ctx, id)
	r := &rival{c: c, id: id, limit: 2}
	err := ex.Update(ctx, c.Pool(), id, 5, r.change(ctx))
	after := readAccount(c, ctx, id)
	calls, wins := r.calls.Load(), r.wins.Load()

	wantBalance := before.Balance + wins*rivalDeposit + ourDeposit
	wantVersion := before.Version + wins + 1
	var msg string
	switch {
	case r.blocked() != nil:
		msg = r.blockedMessage()
	case err != nil:
		msg = fmt.Sprintf("another writer changed account %d during the first 2 attempts, and Update returned %q (maxAttempts 5); expected it to read the account again and succeed on the third attempt", id, err)
	case calls != 3:
		msg = fmt.Sprintf("another writer changed account %d during the first 2 attempts, and change ran %d times; expected 3: two attempts lose, the third, on a fresh read, wins", id, calls)
	case after.Balance != wantBalance || after.Version != wantVersion:
		msg = fmt.Sprintf("account %d holds %s cents at version %d; expected %s cents at version %d: the other writer's two deposits and yours, one version each",
			id, fmtInt(after.Balance), after.Version, fmtInt(wantBalance), wantVersion)
	default:
		msg = fmt.Sprintf("another writer changed account %d during the first 2 attempts; the third attempt read it again and won: balance and version are exact", id)
	}
	ok := r.blocked() == nil && err == nil && calls == 3 && after.Balance == wantBalance && after.Version == wantVersion
	c.Assert("retries after losing to another writer", ok, msg, r.evidence(before, after))
}

// assertGivesUp lets another writer win every attempt (up to rivalLimit):
// with maxAttempts 3, Update must try 3 times and return ErrConflict.
func assertGivesUp(c *checker.Check, ctx context.Context, ex Exercise, id int64) {
	const attempts = 3
	before := readAccount(c, ctx, id)
	r := &rival{c: c, id: id, limit: rivalLimit}
	var err error
	out := checker.RunConcurrently(ctx, 1, func(ctx context.Context, _ int) error {
		err = ex.Update(ctx, c.Pool(), id, attempts, r.change(ctx))
		return nil
	}, checker.WithTimeout(20*time.Second))
	if len(out.Stuck)+out.Panicked > 0 {
		msg := fmt.Sprintf("Update was still running 20 s after every attempt started losing, having run change %d times; with maxAttempts %d it must stop after %d attempts and return ErrConflict",
			r.calls.Load(), attempts, attempts)
		if out.Panicked > 0 {
			msg = out.String()
		}
		c.Assert("gives up after maxAttempts with ErrConflict", false, msg, checker.Evidence{Counts: out.Counts()})
		return
	}
	after := readAccount(c, ctx, id)
	calls, wins := r.calls.Load(), r.wins.Load()

	wantBalance := before.Balance + wins*rivalDeposit
	if calls > rivalLimit {
		wantBalance += ourDeposit // the rival stopped, so the last attempt won
	}
	var msg string
	switch {
	case r.blocked() != nil:
		msg = r.blockedMessage()
	case calls > attempts && err == nil:
		msg = fmt.Sprintf("Update ran change %d times and returned nil only because the other writer stopped after %d wins; with maxAttempts %d it must stop after %d attempts and return ErrConflict. Retrying without a bound turns a hot row into calls that never return",
			calls, wins, attempts, attempts)
	case calls != attempts:
		msg = fmt.Sprintf("every attempt lost to another writer, and change ran %d times with maxAttempts %d; expected exactly %d attempts", calls, attempts, attempts)
	case err == nil:
		msg = fmt.Sprintf("every one of %d attempts lost to another writer, yet Update returned nil; expected an error wrapping ErrConflict", attempts)
	case !errors.Is(err, ex.ErrConflict):
		msg = fmt.Sprintf("after %d lost attempts Update returned %q, which is not ErrConflict (errors.Is is false): the caller cannot tell a lost race, worth trying again later, from a real failure. Return an error that wraps ErrConflict, e.g. fmt.Errorf(\"account %%d: %%w\", id, ErrConflict)",
			attempts, err)
	case after.Balance != wantBalance:
		msg = fmt.Sprintf("account %d holds %s cents; expected %s: only the other writer's deposits, since every attempt of yours lost", id, fmtInt(after.Balance), fmtInt(wantBalance))
	default:
		msg = fmt.Sprintf("every one of %d attempts lost to another writer, and Update gave up with %q", attempts, err)
	}
	ok := r.blocked() == nil && calls == attempts && errors.Is(err, ex.ErrConflict) && after.Balance == wantBalance
	c.Assert("gives up after maxAttempts with ErrConflict", ok, msg, r.evidence(before, after))
}

// errRefused is the error the check's change returns: a caller's rule
// that says no (insufficient funds, a frozen account).
var errRefused = errors.New("the check's change refuses this update")

// assertRefusedChangeWritesNothing calls Update with a change that first
// modifies the account, then returns an error: Update must return that
// error and leave the row as it was, balance and version alike.
func assertRefusedChangeWritesNothing(c *checker.Check, ctx context.Context, ex Exercise, id int64) {
	before := readAccount(c, ctx, id)
	var calls atomic.Int64
	err := ex.Update(ctx, c.Pool(), id, 3, func(a *Account) error {
		calls.Add(1)
		a.Balance += ourDeposit
		return errRefused
	})
	after := readAccount(c, ctx, id)
	var msg string
	switch {
	case after != before:
		msg = fmt.Sprintf("change added %s cents to account %d, then returned an error; yet the account went from %s cents at version %d to %s cents at version %d: Update wrote a change the caller refused. When change returns an error, return it at once and write nothing",
			fmtInt(ourDeposit), id, fmtInt(before.Balance), before.Version, fmtInt(after.Balance), after.Version)
	case err == nil:
		msg = fmt.Sprintf("change returned an error, yet Update returned nil: the caller believes account %d was updated. Return change's error", id)
	case !errors.Is(err, errRefused):
		msg = fmt.Sprintf("change returned %q, and Update returned %q, which does not wrap it (errors.Is is false): the caller cannot tell why nothing happened. Return change's error, or wrap it with %%w", errRefused, err)
	case calls.Load() != 1:
		msg = fmt.Sprintf("change returned an error and ran %d times: an error from change is the caller's answer, not a conflict, so it is not retried", calls.Load())
	default:
		msg = fmt.Sprintf("change returned an error: Update returned it, and account %d kept its %s cents at version %d", id, fmtInt(after.Balance), after.Version)
	}
	ok := after == before && errors.Is(err, errRefused) && calls.Load() == 1
	c.Assert("a refused change writes nothing", ok, msg, checker.Evidence{Counts: map[string]int64{
		"change_calls": calls.Load(), "balance_before": before.Balance, "balance_after": after.Balance,
		"version_before": before.Version, "version_after": after.Version,
	}})
}

// rival is another writer that gets in first: while the learner's change
// runs, between its read and its write, it makes a deposit and bumps the
// version, the way a correct Update would. It wins its first limit times.
type rival struct {
	c      *checker.Check
	id     int64
	limit  int64
	calls  atomic.Int64 // calls of change
	wins   atomic.Int64
	mu     sync.Mutex
	failed error
}

func (r *rival) change(ctx context.Context) func(*Account) error {
	return func(a *Account) error {
		if r.calls.Add(1) <= r.limit {
			if err := r.deposit(ctx); err != nil {
				r.mu.Lock()
				r.failed = err
				r.mu.Unlock()
			} else {
				r.wins.Add(1)
			}
		}
		a.Balance += ourDeposit
		return nil
	}
}

// deposit gives up after half a second of waiting for a lock: only a lock
// held by the learner's Update, still open around change, can make it wait.
func (r *rival) deposit(ctx context.Context) error {
	return pgx.BeginFunc(ctx, r.c.Admin(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '500ms'`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2, version = version + 1 WHERE id = $1`, r.id, rivalDeposit)
		return err
	})
}

func (r *rival) blocked() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *rival) blockedMessage() string {
	err := r.blocked()
	if checker.IsLockTimeout(err) {
		return fmt.Sprintf("another writer could not update account %d while your change ran: it waited for a lock your Update held between its read and its write. Optimistic locking holds no lock; it detects the other write afterwards, with the version", r.id)
	}
	return fmt.Sprintf("the other writer could not update account %d: %v", r.id, err)
}

func (r *rival) evidence(before, after Account) checker.Evidence {
	return checker.Evidence{Counts: map[string]int64{
		"change_calls": r.calls.Load(), "rival_wins": r.wins.Load(),
		"balance_before": before.Balance, "balance_after": after.Balance,
		"version_before": before.Version, "version_after": after.Version,
	}}
}

func locks(queries []checker.Query) []checker.Query {
	var out []checker.Query
	for _, q := range queries {
		if lockClause(q) {
			out = append(out, q)
		}
	}
	return out
}

func readAccounts(c *checker.Check, ctx context.Context) map[int64]Account {
	out := map[int64]Account{}
	for _, id := range hotAccounts {
		out[id] = readAccount(c, ctx, id)
	}
	return out
}

func readAccount(c *checker.Check, ctx context.Context, id int64) Account {
	var a Account
	err := c.Admin().QueryRow(ctx, `SELECT id, owner, balance, version FROM accounts WHERE id = $1`, id).
		Scan(&a.ID, &a.Owner, &a.Balance, &a.Version)
	c.RequireNoError("read the account", err)
	return a
}

func balanceCounts(before, after map[int64]Account, tl *tally) map[string]int64 {
	counts := map[string]int64{}
	for _, id := range hotAccounts {
		p := fmt.Sprintf("account_%d_", id)
		counts[p+"balance_before"], counts[p+"balance_after"] = before[id].Balance, after[id].Balance
		counts[p+"version_before"], counts[p+"version_after"] = before[id].Version, after[id].Version
		counts[p+"succeeded"], counts[p+"added"] = tl.succeeded[id], tl.added[id]
	}
	return counts
}

func fmtInt(n int64) string { return checker.FormatCount(n) }
