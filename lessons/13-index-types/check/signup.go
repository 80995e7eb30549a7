package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dblings/dblings/checker"
)

// checkSignUps: a new e-mail gets an account, a taken one in another case
// does not, and two races for one e-mail leave exactly one account each.
func checkSignUps(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	assertSignUpWorks(c, ctx, ex, f)
	assertTakenRefused(c, ctx, ex, f)
	assertRaces(c, ctx, ex, f)
}

func assertSignUpWorks(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	email := fmt.Sprintf("New.Reader.%d@Example.com", f.fresh)
	id, err := ex.SignUp(ctx, c.Pool(), email, "New Reader")
	var stored string
	if err == nil {
		c.RequireNoError("read the new account", c.Admin().QueryRow(ctx,
			`SELECT coalesce(max(email), '') FROM users WHERE id = $1`, id).Scan(&stored))
	}
	ok := err == nil && stored == email
	msg := fmt.Sprintf("SignUp(%q) created account %d, with the e-mail as typed", email, id)
	switch {
	case checker.SQLState(err) == "42P10":
		msg = fmt.Sprintf("SignUp(%q) failed: %v. ON CONFLICT names its target by the unique index's columns or expression: with a unique index on lower(email), the target is ((lower(email))), not (email)", email, err)
	case err != nil:
		msg = fmt.Sprintf("SignUp(%q), an e-mail no account has, failed: %v", email, err)
	case stored != email:
		msg = fmt.Sprintf("SignUp(%q) returned id %d, but that account's e-mail is %q; keep the e-mail as typed (the index, not the data, ignores case)", email, id, stored)
	}
	c.Assert("sign-up creates an account", ok, msg, checker.Evidence{})
}

func assertTakenRefused(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	email := strings.ToLower(f.taken.Email)
	_, err := ex.SignUp(ctx, c.Pool(), email, "Someone Else")
	n := countAccounts(c, ctx, email)
	ok := errors.Is(err, ex.ErrEmailTaken) && n == 1
	msg := fmt.Sprintf("SignUp(%q), the e-mail of account %d (%s) in another case, failed with ErrEmailTaken", email, f.taken.ID, f.taken.Email)
	if !ok {
		msg = fmt.Sprintf("SignUp(%q), the e-mail of account %d (%s) in another case, returned %v and %d accounts now have it; expected ErrEmailTaken. A unique index on email compares the text as typed: the uniqueness must be on lower(email)",
			email, f.taken.ID, f.taken.Email, err, n)
	}
	c.Assert("a taken e-mail is refused, whatever its case", ok, msg, checker.Evidence{Counts: map[string]int64{"accounts": n}})
}

// countAccounts counts the accounts whose e-mail is email in any case.
func countAccounts(c *checker.Check, ctx context.Context, email string) int64 {
	var n int64
	c.RequireNoError("count the accounts of an e-mail", c.Admin().QueryRow(ctx,
		`SELECT count(*) FROM users WHERE lower(email) = lower($1)`, email).Scan(&n))
	return n
}

// caseOf writes email in the i-th of a few cases, so that racers send the
// same address typed differently.
func caseOf(email string, i int) string {
	switch i % 3 {
	case 1:
		return strings.ToUpper(email)
	case 2:
		return strings.ToUpper(email[:1]) + email[1:]
	}
	return email
}

// race is what one race for one e-mail left behind.
type race struct {
	email    string
	out      checker.Outcome
	taken    int   // errors wrapping ErrEmailTaken
	accounts int64 // accounts with the e-mail afterwards
}

// assertRaces runs two races. In the first, the racers alone; in the
// second, another writer (the check, as another app server would) has
// inserted the e-mail and not yet committed when the racers start: a
// racer that looks first sees nothing, and only an index makes it wait.
// The second race decides on every run, whatever the timing.
func assertRaces(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	alone := raceAlone(c, ctx, ex, fmt.Sprintf("race.%d@helpcenter.example", f.fresh))
	other := raceAnotherWriter(c, ctx, ex, fmt.Sprintf("other.%d@helpcenter.example", f.fresh))
	ev := checker.Evidence{Counts: map[string]int64{
		"alone_succeeded": int64(alone.out.Succeeded), "alone_accounts": alone.accounts,
		"other_succeeded": int64(other.out.Succeeded), "other_accounts": other.accounts,
	}}

	ok := alone.accounts == 1 && other.accounts == 1
	msg := fmt.Sprintf("%d sign-ups with one e-mail at once left 1 account; %d more, racing another server's uncommitted sign-up, left that one only", racers, racers)
	if !ok {
		msg = fmt.Sprintf("%d sign-ups with %s (in several cases) at once left %s; %d more, racing another server's uncommitted sign-up of %s, left %s (expected 1 each). Looking before inserting loses: each racer looks before the others have committed. Only a unique index on lower(email) sees every writer",
			racers, alone.email, accounts(alone.accounts), racers, other.email, accounts(other.accounts))
	}
	c.Assert("one account per e-mail under a race", ok, msg, ev)

	ok = alone.out.Succeeded == 1 && alone.taken == racers-1 && other.out.Succeeded == 0 && other.taken == racers
	msg = fmt.Sprintf("in each race every sign-up but the winner got ErrEmailTaken (alone: %s)", alone.out)
	if !ok {
		msg = fmt.Sprintf("the losers of a race must get ErrEmailTaken: alone, %s, %d with ErrEmailTaken; against another server, %s, %d with ErrEmailTaken (expected 0 succeeded). A unique index refuses with SQLSTATE 23505: use ON CONFLICT ((lower(email))) DO NOTHING, or turn 23505 into ErrEmailTaken",
			alone.out, alone.taken, other.out, other.taken)
	}
	c.Assert("the race's losers get ErrEmailTaken", ok, msg, ev)
}

func raceAlone(c *checker.Check, ctx context.Context, ex Exercise, email string) race {
	out := checker.RunConcurrently(ctx, racers, func(ctx context.Context, i int) error {
		_, err := ex.SignUp(ctx, c.Pool(), caseOf(email, i), fmt.Sprintf("Racer %d", i))
		return err
	}, checker.WithTimeout(20*time.Second))
	return finish(c, ctx, ex, email, out)
}

// raceAnotherWriter holds the e-mail in an open transaction of the check's
// own until every racer has either returned or is waiting on a lock, then
// commits. The learner's connections give up waiting after the lock
// timeout (5 s), so the check never waits that long.
func raceAnotherWriter(c *checker.Check, ctx context.Context, ex Exercise, email string) race {
	tx, err := c.Admin().Begin(ctx)
	c.RequireNoError("begin the other server's sign-up", err)
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	_, err = tx.Exec(ctx, `INSERT INTO users (email, name) VALUES ($1, 'Other Server')`, email)
	c.RequireNoError("insert the other server's sign-up", err)

	var returned atomic.Int32
	done := make(chan checker.Outcome, 1)
	go func() {
		done <- checker.RunConcurrently(ctx, racers, func(ctx context.Context, i int) error {
			defer returned.Add(1)
			_, err := ex.SignUp(ctx, c.Pool(), caseOf(email, i+1), fmt.Sprintf("Racer %d", i))
			return err
		}, checker.WithTimeout(20*time.Second))
	}()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && int(returned.Load())+lockWaiters(c, ctx) < racers {
		time.Sleep(20 * time.Millisecond)
	}
	c.RequireNoError("commit the other server's sign-up", tx.Commit(ctx))
	return finish(c, ctx, ex, email, <-done)
}

// lockWaiters counts the sessions of the clone waiting for a lock.
func lockWaiters(c *checker.Check, ctx context.Context) int {
	var n int
	c.RequireNoError("read pg_stat_activity", c.Admin().QueryRow(ctx, `
		SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
	return n
}

func finish(c *checker.Check, ctx context.Context, ex Exercise, email string, out checker.Outcome) race {
	return race{
		email:    email,
		out:      out,
		taken:    out.Count(func(err error) bool { return errors.Is(err, ex.ErrEmailTaken) }),
		accounts: countAccounts(c, ctx, email),
	}
}

// accounts writes a count of accounts for a message.
func accounts(n int64) string {
	if n == 1 {
		return "1 account"
	}
	return checker.FormatCount(n) + " accounts"
}
