package check

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dblings/dblings/checker"
)

// sessionCounts is what the check counts in sessions around one run of
// the expiry job.
type sessionCounts struct {
	total, expired, atClock int64
}

func countSessions(c *checker.Check, ctx context.Context, clock time.Time) sessionCounts {
	var n sessionCounts
	c.RequireNoError("count the sessions", c.Admin().QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE expires_at <= $1), count(*) FILTER (WHERE expires_at = $1)
		FROM sessions`, clock).Scan(&n.total, &n.expired, &n.atClock))
	return n
}

// checkExpiry runs the expiry job at two times of the check's choosing,
// the second later than the first, and plans what the second run sent.
func checkExpiry(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	ok, msg := true, ""
	var s sent
	for _, clock := range f.clocks {
		before := countSessions(c, ctx, clock)
		var n int64
		var err error
		s = record(c, ctx, "sessions", func() { n, err = ex.ExpireSessions(ctx, c.Pool(), clock) })
		after := countSessions(c, ctx, clock)
		if good, why := judgeRun(clock, before, after, n, err); !good && ok {
			ok, msg = false, why
		}
	}
	if ok {
		msg = fmt.Sprintf("run at %s and then at %s, the job deleted exactly the sessions expired by then, and kept the others and the ones that never expire",
			f.clocks[0].Format(time.RFC3339), f.clocks[1].Format(time.RFC3339))
	}
	c.Assert("expiry follows the given clock", ok, msg, checker.Evidence{})
	assertExpiryIndex(c, ctx, s)
}

// judgeRun compares one run with what the counts before it promised.
func judgeRun(clock time.Time, before, after sessionCounts, n int64, err error) (bool, string) {
	at := clock.Format(time.RFC3339)
	deleted := before.total - after.total
	switch {
	case err != nil:
		return false, fmt.Sprintf("ExpireSessions(%s) failed: %v", at, err)
	case deleted > before.expired:
		return false, fmt.Sprintf("ExpireSessions(%s) deleted %s sessions, but only %s had expired by then: the job must use the time it is given, not the server's now(); a job that catches up after downtime, or a test, decides what now is",
			at, checker.FormatCount(deleted), checker.FormatCount(before.expired))
	case after.expired > 0 && after.expired == after.atClock:
		return false, fmt.Sprintf("ExpireSessions(%s) left the %s sessions that expire at exactly %s: expired at or before now is <=, not <",
			at, checker.FormatCount(after.expired), at)
	case after.expired > 0:
		return false, fmt.Sprintf("ExpireSessions(%s) left %s of the %s sessions expired by then", at, checker.FormatCount(after.expired), checker.FormatCount(before.expired))
	case n != deleted:
		return false, fmt.Sprintf("ExpireSessions(%s) deleted %s sessions but returned %d", at, checker.FormatCount(deleted), n)
	}
	return true, ""
}

// assertExpiryIndex: the job reads an index, and that index is partial:
// it leaves out the sessions that never expire, as a TTL index skips the
// documents without a date.
func assertExpiryIndex(c *checker.Check, ctx context.Context, s sent) {
	// Only the indexes on expires_at count: a job deleting in batches by
	// id also reads the primary key, and that is no expiry index.
	var used []checker.Index
	for _, i := range s.indexes(c, ctx) {
		if slices.ContainsFunc(i.Columns, func(col checker.IndexColumn) bool { return strings.Contains(col.Name, "expires_at") }) {
			used = append(used, i)
		}
	}
	scan := s.seqScan()
	ok := len(s.plans) > 0 && scan == nil && len(used) > 0
	msg := fmt.Sprintf("%s reads %s", s.sqlOf(), defs(used))
	switch {
	case len(s.plans) == 0:
		msg = noStatement("ExpireSessions", "sessions")
	case scan != nil && len(used) > 0:
		msg = fmt.Sprintf("%s finds the expired sessions through %s, then reads the whole of sessions (a Seq Scan) to match them: with IN (SELECT … LIMIT n) the planner joins the batch to every row. Hand it the ids as an array, id = ANY (ARRAY(SELECT id … LIMIT n)), and each is fetched by its key",
			s.sqlOf(), defs(used))
	case scan != nil:
		msg = fmt.Sprintf("%s is a Seq Scan on sessions that removed %s rows, at every run of the job. Index expires_at, and write the condition so that it can use the index: expires_at <= $1 on the bare column (not coalesce(expires_at, …) or a cast)",
			s.sqlOf(), removed(scan))
	case len(used) == 0:
		msg = fmt.Sprintf("%s reads no index on sessions' expires_at", s.sqlOf())
	}
	c.Assert("expiry job uses an index", ok, msg, s.evidence())

	partial := len(used) > 0
	for _, i := range used {
		partial = partial && i.Predicate != ""
	}
	msg = fmt.Sprintf("%s is partial: it holds only the sessions that can expire", defs(used))
	switch {
	case len(used) == 0:
		msg = "the job reads no index of sessions, partial or not (see \"expiry job uses an index\")"
	case !partial:
		var never int64
		c.RequireNoError("count the sessions that never expire", c.Admin().QueryRow(ctx,
			`SELECT count(*) FROM sessions WHERE expires_at IS NULL`).Scan(&never))
		msg = fmt.Sprintf("the job reads %s, which indexes every session, the %s that never expire included: they cost space and a write each, and the job never looks for them. Make it partial, WHERE expires_at IS NOT NULL: the Postgres form of a TTL index",
			defs(used), checker.FormatCount(never))
	}
	c.Assert("the expiry index leaves out what never expires", partial, msg, s.evidence())
}
