// Package transactions is lesson 9's second witness: it reads the accounts
// before the check and after it. Transfers move money and never make or
// destroy it, so the bank's total must be what it was; no account may end
// below zero; the check's thousand transfers must have reached the table,
// as Postgres's own count of row updates shows; and the trigger the check
// adds for a while must be gone, with every key and constraint still there.
package transactions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// The witness's own copy of the check's workload (lessons/09-transactions/check):
// change this when the check changes.
const (
	// transfers is the size of the concurrent workload. Almost all go
	// through, two row updates each; minUpdates asks for half of that.
	transfers  = 1000
	minUpdates = transfers
)

// look is what the witness reads at each end of the check.
type look struct {
	total, accounts, lowest int64
	lowestID                int64
	catalog                 witness.Catalog
	triggers                []string
	stats                   witness.TableStats
}

// Witness is lesson 9's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, lookAgain)
}

// lookAgain looks after the check, once the table's counters show its
// updates, and judges.
func lookAgain(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	after, err := lookAt(ctx, conn)
	if err != nil {
		return nil, err
	}
	if after.stats, err = awaitUpdates(ctx, conn, before.stats); err != nil {
		return nil, err
	}
	return judge(before, after), nil
}

func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	var l look
	err := conn.QueryRow(ctx, `SELECT coalesce(sum(balance), 0)::bigint, count(*), coalesce(min(balance), 0),
		coalesce((SELECT id FROM accounts ORDER BY balance, id LIMIT 1), 0) FROM accounts`).
		Scan(&l.total, &l.accounts, &l.lowest, &l.lowestID)
	if err != nil {
		return l, fmt.Errorf("add up the accounts: %w", err)
	}
	if l.catalog, err = witness.ReadCatalog(ctx, conn, "accounts"); err != nil {
		return l, err
	}
	rows, err := conn.Query(ctx, `SELECT tgname FROM pg_trigger WHERE tgrelid = 'accounts'::regclass AND NOT tgisinternal ORDER BY tgname`)
	if err != nil {
		return l, fmt.Errorf("read the triggers of accounts: %w", err)
	}
	if l.triggers, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return l, fmt.Errorf("read the triggers of accounts: %w", err)
	}
	l.stats, err = witness.ReadTableStats(ctx, conn, "accounts")
	return l, err
}

// statsWait bounds the wait for the table's counters to show the check's
// updates: Postgres 15 and later count a session's updates by the time it
// has ended; older servers report them a moment later.
const statsWait = 2 * time.Second

func awaitUpdates(ctx context.Context, conn *pgx.Conn, since witness.TableStats) (witness.TableStats, error) {
	deadline := time.Now().Add(statsWait)
	for {
		stats, err := witness.ReadTableStats(ctx, conn, "accounts")
		if err != nil || stats.Since(since).Updated >= minUpdates || time.Now().After(deadline) {
			return stats, err
		}
		select {
		case <-ctx.Done():
			return stats, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func judge(before, after look) []witness.Fact {
	count := checker.FormatCount
	conserved := after.total == before.total && after.accounts == before.accounts
	no := fmt.Sprintf("the bank held %s cents in %s accounts before the check and %s cents in %s after: transfers only move money, so %s cents %s",
		count(before.total), count(before.accounts), count(after.total), count(after.accounts),
		count(abs(after.total-before.total)), map[bool]string{true: "were created", false: "vanished"}[after.total > before.total])
	if after.accounts != before.accounts {
		no = fmt.Sprintf("the bank had %s accounts before the check and %s after: transfers never add or remove one",
			count(before.accounts), count(after.accounts))
	}
	facts := []witness.Fact{
		witness.Holds("database: no money created or lost", conserved,
			fmt.Sprintf("the %s accounts hold %s cents in all, as before the check", count(after.accounts), count(after.total)), no),
		witness.Holds("database: no account below zero", after.lowest >= 0,
			fmt.Sprintf("the lowest balance after the check is %s cents", count(after.lowest)),
			fmt.Sprintf("account %d ends the check at %s cents: a transfer took money it did not have", after.lowestID, count(after.lowest))),
	}
	updated := after.stats.Since(before.stats).Updated
	facts = append(facts, witness.Holds("database: the transfers reached the accounts", updated >= minUpdates,
		fmt.Sprintf("Postgres counted %s row updates on accounts during the check, for its %s transfers of two updates each", count(updated), count(transfers)),
		fmt.Sprintf("Postgres counted only %s row updates on accounts during the check, where its %s transfers make two each: the transfers never reached the table",
			count(updated), count(transfers))))
	lost := before.catalog.Lost(after.catalog)
	var extra []string
	for _, t := range after.triggers {
		if !contains(before.triggers, t) {
			extra = append(extra, t)
		}
	}
	problems := append([]string{}, lost...)
	if len(extra) > 0 {
		problems = append(problems, "a trigger left behind: "+strings.Join(extra, ", "))
	}
	return append(facts, witness.Holds("database: the table's keys and triggers as they were", len(problems) == 0,
		"accounts keeps its primary key, and the trigger the check adds for a while is gone",
		"the accounts table changed: "+strings.Join(problems, "; ")))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
