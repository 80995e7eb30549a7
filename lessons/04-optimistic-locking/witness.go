// Package optimisticlocking is lesson 4's second witness: it reads the
// accounts before and after the check and compares each balance and
// version with what the check's workload implies, whatever order its
// goroutines ran in. A lost update, a refused change that was written, or a
// final state forged in a few statements all show in the rows or in
// Postgres's count of row updates.
package optimisticlocking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// The witness's own copy of the check's workload (lessons/04-optimistic-locking/check):
// change this when the check changes.
const (
	// goroutines make updatesEach deposits each over the two hot accounts,
	// goroutine g depositing g+1 cents at a time.
	goroutines  = 8
	updatesEach = 50
	// The retry test: the other writer wins twice, then the check's
	// deposit. The give-up test: the other writer wins all 3 attempts.
	ourDeposit   = 100
	rivalDeposit = 1_000
	retryWins    = 2
	giveUpWins   = 3
)

// The accounts the workload touches.
const (
	retried int64 = 3 // another writer wins twice, the third attempt wins
	gaveUp  int64 = 4 // another writer wins every attempt
	refused int64 = 5 // change returns an error: nothing is written
)

// hotAccounts are the rows every goroutine updates.
var hotAccounts = []int64{1, 2}

// change is what the workload must have done to one account.
type change struct {
	id               int64
	balance, version int64
}

// expected computes each account's change from the workload: deposit j of
// goroutine g goes to hotAccounts[(g+j)%2], as in the check.
func expected() []change {
	hot := map[int64]*change{}
	for _, id := range hotAccounts {
		hot[id] = &change{id: id}
	}
	for g := range goroutines {
		for j := range updatesEach {
			c := hot[hotAccounts[(g+j)%len(hotAccounts)]]
			c.balance += int64(g + 1)
			c.version++
		}
	}
	var out []change
	for _, id := range hotAccounts {
		out = append(out, *hot[id])
	}
	return append(out,
		change{id: retried, balance: retryWins*rivalDeposit + ourDeposit, version: retryWins + 1},
		change{id: gaveUp, balance: giveUpWins * rivalDeposit, version: giveUpWins},
		change{id: refused})
}

// account is one row as the witness reads it.
type account struct{ balance, version int64 }

// others are the accounts the workload never touches.
const others = `SELECT id, owner, balance, version FROM accounts WHERE NOT id = ANY($1)`

// look is what the witness reads, before and after.
type look struct {
	accounts map[int64]account
	others   witness.Digest
	stats    witness.TableStats
}

// Witness is lesson 4's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	want := expected()
	return witness.BeforeAndAfter(ctx, s, func(ctx context.Context, conn *pgx.Conn) (look, error) {
		before, err := read(ctx, conn, want)
		if err != nil {
			return before, err
		}
		before.stats, err = witness.ReadTableStats(ctx, conn, "accounts")
		return before, err
	}, func(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
		after, err := read(ctx, conn, want)
		if err != nil {
			return nil, err
		}
		if after.stats, err = awaitUpdates(ctx, conn, before.stats, writes(want)); err != nil {
			return nil, err
		}
		return judge(before, after, want), nil
	})
}

func read(ctx context.Context, conn *pgx.Conn, want []change) (look, error) {
	l := look{accounts: map[int64]account{}}
	ids := make([]int64, len(want))
	for i, c := range want {
		ids[i] = c.id
		var a account
		err := conn.QueryRow(ctx, `SELECT balance, version FROM accounts WHERE id = $1`, c.id).Scan(&a.balance, &a.version)
		if err != nil {
			return l, fmt.Errorf("read account %d: %w", c.id, err)
		}
		l.accounts[c.id] = a
	}
	var err error
	l.others, err = witness.ReadDigest(ctx, conn, others, ids)
	return l, err
}

// statsWait bounds the wait for the table's counters to show the check's
// updates. Postgres 15 and later count a session's updates by the time it
// has ended, so the first reading is the last; older servers report them a
// moment later.
const statsWait = 2 * time.Second

// awaitUpdates reads the table's counters until they show at least writes
// updates since the first look, or statsWait has passed.
func awaitUpdates(ctx context.Context, conn *pgx.Conn, since witness.TableStats, writes int64) (witness.TableStats, error) {
	deadline := time.Now().Add(statsWait)
	for {
		stats, err := witness.ReadTableStats(ctx, conn, "accounts")
		if err != nil || stats.Since(since).Updated >= writes || time.Now().After(deadline) {
			return stats, err
		}
		select {
		case <-ctx.Done():
			return stats, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// writes is how many successful writes the workload makes: one per
// version it adds.
func writes(want []change) int64 {
	var n int64
	for _, c := range want {
		n += c.version
	}
	return n
}

// judge states the facts: each account as the workload implies, the others
// untouched, and as many row updates as successful writes at least.
func judge(before, after look, want []change) []witness.Fact {
	problems := map[int64]string{}
	for _, c := range want {
		if msg := accountProblem(c, before.accounts[c.id], after.accounts[c.id]); msg != "" {
			problems[c.id] = msg
		}
	}
	facts := []witness.Fact{
		accountsFact("database: no deposit lost on the hot accounts", problems, hotAccounts,
			fmt.Sprintf("accounts 1 and 2 hold their starting balances plus the %s deposits of the check's %d goroutines, one version each",
				checker.FormatCount(goroutines*updatesEach), goroutines)),
		accountsFact("database: the retry and the give-up left exact balances", problems, []int64{retried, gaveUp},
			fmt.Sprintf("account %d holds the other writer's %d deposits and the check's, account %d only the other writer's %d",
				retried, retryWins, gaveUp, giveUpWins)),
		accountsFact("database: a refused change wrote nothing", problems, []int64{refused},
			fmt.Sprintf("account %d is as it was: its change returned an error", refused)),
	}
	untouched := before.others == after.others
	facts = append(facts, witness.Holds("database: no other account touched", untouched,
		fmt.Sprintf("the other %s accounts are as the fixture made them", checker.FormatCount(before.others.Rows)),
		fmt.Sprintf("the accounts the check never updates changed: %s rows before, %s after, and their contents differ",
			checker.FormatCount(before.others.Rows), checker.FormatCount(after.others.Rows))))
	updated, made := after.stats.Since(before.stats).Updated, writes(want)
	return append(facts, witness.Holds("database: one UPDATE per successful write", updated >= made,
		fmt.Sprintf("Postgres counted %s row updates on accounts during the check, for the %s successful writes", checker.FormatCount(updated), checker.FormatCount(made)),
		fmt.Sprintf("Postgres counted only %s row updates on accounts during the check, where the check's workload makes %s successful writes, one UPDATE each: the rows were not written by that workload",
			checker.FormatCount(updated), checker.FormatCount(made))))
}

// accountProblem compares one account with the workload's change to it.
func accountProblem(c change, before, after account) string {
	wantBalance, wantVersion := before.balance+c.balance, before.version+c.version
	if after.balance == wantBalance && after.version == wantVersion {
		return ""
	}
	return fmt.Sprintf("account %d holds %s cents at version %d; the workload implies %s + %s = %s cents at version %d + %d = %d",
		c.id, checker.FormatCount(after.balance), after.version, checker.FormatCount(before.balance), checker.FormatCount(c.balance),
		checker.FormatCount(wantBalance), before.version, c.version, wantVersion)
}

func accountsFact(name string, problems map[int64]string, ids []int64, yes string) witness.Fact {
	var found []string
	for _, id := range ids {
		if p, ok := problems[id]; ok {
			found = append(found, p)
		}
	}
	return witness.Holds(name, len(found) == 0, yes, strings.Join(found, "; "))
}
