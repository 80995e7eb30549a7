package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/dblings/dblings/checker"
)

// maxRowsPerTx bounds the rows of payments one transaction may write: a
// transaction holds the lock of every row it wrote until it ends, and a
// request that writes one of them waits that long.
const maxRowsPerTx = 20_000

// assertSmallTransactions reads the largest group of payments that share
// the same xmin, the transaction that wrote their current version. The
// fixture loads every payment in one transaction, so a migration that
// leaves a group that large behind either never wrote amount_cents or
// wrote it all at once (an UPDATE of the whole table, a rewrite).
func assertSmallTransactions(c *checker.Check, ctx context.Context) {
	var largest int64
	err := c.Admin().QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM payments GROUP BY xmin::text) AS tx`).Scan(&largest)
	c.RequireNoError("count the payments each transaction wrote", err)
	msg := fmt.Sprintf("no transaction wrote more than %s payments (the bound is %s)",
		checker.FormatCount(largest), checker.FormatCount(maxRowsPerTx))
	if largest > maxRowsPerTx {
		msg = fmt.Sprintf("one transaction wrote %s payments (the bound is %s): it held all their row locks, or the whole "+
			"table, until it ended. Backfill in batches of a few thousand rows, each its own transaction",
			checker.FormatCount(largest), checker.FormatCount(maxRowsPerTx))
	}
	c.Assert(nameBatches, largest <= maxRowsPerTx, msg, checker.Evidence{Counts: map[string]int64{"largest_transaction_rows": largest}})
}

// assertConcurrentIndexes reads the statements the learner's code sent:
// a CREATE INDEX without CONCURRENTLY holds a lock that blocks every write
// of the table for as long as the build takes, minutes on a big table.
func assertConcurrentIndexes(c *checker.Check) {
	var plain []string
	for _, q := range c.QueryLog().Queries() {
		if plainIndexBuild(q.SQL) {
			plain = append(plain, checker.OneLine(q.SQL))
		}
	}
	msg := "every index was built CONCURRENTLY"
	if len(plain) > 0 {
		msg = fmt.Sprintf("%s builds an index without CONCURRENTLY: writes to payments wait until the build ends "+
			"(at a million rows, seconds; at a billion, hours). Use CREATE INDEX CONCURRENTLY, outside a transaction", describe(plain[0]))
	}
	c.Assert(nameConcurrently, len(plain) == 0, msg, checker.Evidence{Details: map[string]any{"plain_index_builds": plain}})
}

// plainIndexBuild says whether sql builds an index while blocking writes:
// CREATE [UNIQUE] INDEX or REINDEX, without CONCURRENTLY.
func plainIndexBuild(sql string) bool {
	words := strings.Fields(strings.ToLower(strings.NewReplacer("(", " ( ", ";", " ; ", "'", " ", "\"", " ").Replace(sql)))
	for i, w := range words {
		next := func(k int) string {
			if i+k < len(words) {
				return words[i+k]
			}
			return ""
		}
		switch {
		case w == "create" && next(1) == "index":
			if next(2) != "concurrently" {
				return true
			}
		case w == "create" && next(1) == "unique" && next(2) == "index":
			if next(3) != "concurrently" {
				return true
			}
		case w == "reindex":
			if next(1) != "(" && next(2) != "concurrently" {
				return true
			}
		}
	}
	return false
}
