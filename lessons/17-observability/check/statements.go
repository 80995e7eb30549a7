package check

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/lessons/17-observability/workload"
)

// checkMark starts every statement the check sends to read the server's
// statistics, so that the second witness can tell the check's reads from
// the learner's.
const checkMark = "/* dblings check */"

// hidden is the text pg_stat_statements shows a role for another role's
// statement.
const hidden = "<insufficient privilege>"

// stat is one statement of pg_stat_statements, as the check reads it.
type stat struct {
	Query           string
	Calls           int64
	TotalMS, MeanMS float64
}

// statsQuery is the check's own reading: this database's statements
// only, since the server's statistics hold every database's.
const statsQuery = checkMark + ` SELECT query, calls, total_exec_time, mean_exec_time FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`

func readStats(ctx context.Context, admin *pgxpool.Pool) ([]stat, error) {
	rows, err := admin.Query(ctx, statsQuery)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (stat, error) {
		var s stat
		err := row.Scan(&s.Query, &s.Calls, &s.TotalMS, &s.MeanMS)
		return s, err
	})
}

// checkTopQueries calls TopQueries between readings of the server's
// statistics, first for the top topN, then for every statement. The
// traffic's statements no longer run, so their numbers are the same in
// every reading; the statements that read the statistics (the learner's
// and the check's) grow in between, and an answer may show any value
// between the two readings around its call.
func checkTopQueries(ctx context.Context, c *checker.Check, ex Exercise, plan workload.Plan) {
	before, err := readStats(ctx, c.Admin())
	c.RequireNoError("read pg_stat_statements before TopQueries", err)
	got, err := ex.TopQueries(ctx, c.Pool(), topN)
	c.RequireNoError("TopQueries runs", err)
	after, err := readStats(ctx, c.Admin())
	c.RequireNoError("read pg_stat_statements after TopQueries", err)
	// The report's total may rank below the statements that read the
	// statistics, so its mean is judged on the whole list; and the whole
	// list shows the second witness's decoy, a statement of another
	// database, to an answer that does not keep to this one.
	all, err := ex.TopQueries(ctx, c.Pool(), everyStatement)
	c.RequireNoError("TopQueries runs", err)
	again, err := readStats(ctx, c.Admin())
	c.RequireNoError("read pg_stat_statements after TopQueries", err)

	msg := topProblem(got, before, after)
	if msg == "" {
		msg = foreignProblem(all, after, again)
	}
	ok := msg == ""
	if ok {
		msg = fmt.Sprintf("TopQueries listed this database's %d statements with the most total execution time, with their calls and times as the server counts them", topN)
	}
	ev := checker.Evidence{Details: map[string]any{"returned": got, "expected_about": topOf(after, topN)}}
	c.Assert(topName, ok, msg, ev)

	nPlusOneFirst(c, got, plan)
	slowOnTopOfMean(c, all, after, again, plan)
}

// foreignProblem says which statement of the list for every statement is
// not this database's, or "" when all are. Another role's statements show
// only as hidden, here and in other databases alike, so those are let be;
// the decoy is the learner's role's own.
func foreignProblem(all []QueryStat, before, after []stat) string {
	for i, q := range all {
		if strings.TrimSpace(q.Query) == hidden {
			continue
		}
		if _, ok := between(q, before, after); !ok {
			return fmt.Sprintf("asked for every statement (n = %d), TopQueries listed %s (%d calls) as entry %d, and it is not one of this database's statements "+
				"with those numbers: pg_stat_statements holds the statements of other databases too; keep the rows whose dbid is this database's (current_database())",
				everyStatement, short(q.Query), q.Calls, i+1)
		}
	}
	return ""
}

// everyStatement is the n of TopQueries's second call, more than this
// database has.
const everyStatement = 1000

// topProblem says what is wrong with the learner's list, or "" when
// nothing is.
func topProblem(got []QueryStat, before, after []stat) string {
	if len(got) != topN {
		return fmt.Sprintf("TopQueries returned %d statements for n = %d; this database has more than %d statements in pg_stat_statements", len(got), topN, topN)
	}
	for i, q := range got {
		if _, ok := between(q, before, after); !ok {
			if strings.TrimSpace(q.Query) == hidden {
				return fmt.Sprintf("entry %d is %q with %.1f ms in total, which is not among this database's statements: pg_stat_statements holds every database of the server, and other databases' statements show that text; keep the rows whose dbid is this database's (current_database())", i+1, hidden, q.TotalMS)
			}
			return fmt.Sprintf("entry %d (%s: %d calls, %.3f ms in total, %.3f ms mean) matches none of this database's statements in pg_stat_statements: the calls, the total and the mean must be the server's own (total_exec_time, mean_exec_time, in milliseconds), for this database only", i+1, short(q.Query), q.Calls, q.TotalMS, q.MeanMS)
		}
		if i > 0 && q.TotalMS > got[i-1].TotalMS {
			return fmt.Sprintf("entry %d has more total time (%.1f ms) than entry %d (%.1f ms): sort by total_exec_time, largest first", i+1, q.TotalMS, i, got[i-1].TotalMS)
		}
	}
	least := got[len(got)-1].TotalMS
	for _, s := range before {
		if s.Query == hidden || listed(got, s.Query) {
			continue
		}
		if s.TotalMS > least*1.01+0.01 {
			return fmt.Sprintf("%s has %.1f ms of total execution time (%d calls, %.3f ms mean) and is missing, while your list ends at %.1f ms: the top statements are those with the most total time (total_exec_time), not the slowest on average", short(s.Query), s.TotalMS, s.Calls, s.MeanMS, least)
		}
	}
	return ""
}

// between finds the statement q reports among this database's, with
// numbers between the two readings.
func between(q QueryStat, before, after []stat) (stat, bool) {
	if strings.TrimSpace(q.Query) == hidden {
		return hiddenAmong(q, after)
	}
	for _, a := range after {
		if a.Query != strings.TrimSpace(q.Query) && a.Query != q.Query {
			continue
		}
		b := stat{}
		for _, s := range before {
			if s.Query == a.Query && s.Calls <= a.Calls {
				b = s
				break
			}
		}
		if q.Calls < b.Calls || q.Calls > a.Calls {
			continue
		}
		if !within(q.TotalMS, b.TotalMS, a.TotalMS) {
			continue
		}
		// The mean is the total over the calls: a statement still running
		// between the readings has a mean outside both of them.
		if mean := q.TotalMS / float64(max(q.Calls, 1)); !within(q.MeanMS, mean, mean) {
			continue
		}
		return a, true
	}
	return stat{}, false
}

// hiddenAmong finds a hidden statement by its numbers. Every such line
// of this database is another role's (the runner's, as it handed the
// database over), which ran before the check and holds still, while the
// lines share one text: pairing a reading before with one after by text
// would pair different statements.
func hiddenAmong(q QueryStat, after []stat) (stat, bool) {
	for _, a := range after {
		if a.Query == hidden && q.Calls == a.Calls && within(q.TotalMS, a.TotalMS, a.TotalMS) &&
			within(q.MeanMS, a.MeanMS, a.MeanMS) {
			return a, true
		}
	}
	return stat{}, false
}

// within allows 1% and 0.01 ms around [lo, hi]: the server keeps doubles,
// and an answer may round them.
func within(v, lo, hi float64) bool {
	return v >= lo*0.99-0.01 && v <= hi*1.01+0.01
}

func listed(got []QueryStat, query string) bool {
	for _, q := range got {
		if strings.TrimSpace(q.Query) == query || q.Query == query {
			return true
		}
	}
	return false
}

// topOf is the check's own top n by total time, for the evidence.
func topOf(stats []stat, n int) []stat {
	out := slices.Clone(stats)
	slices.SortFunc(out, func(a, b stat) int { return cmp.Compare(b.TotalMS, a.TotalMS) })
	return out[:min(n, len(out))]
}

// nPlusOneFirst: the planted N+1 runs thousands of fast statements whose
// total dominates, so it must come first.
func nPlusOneFirst(c *checker.Check, got []QueryStat, plan workload.Plan) {
	ok := len(got) > 0 && strings.TrimSpace(got[0].Query) == plan.NPlusOne
	msg := fmt.Sprintf("the first statement is the feed's per-order lookup (%d calls): each takes a fraction of a millisecond, together they cost the most", plan.NPlusOneCalls())
	if !ok {
		first := "nothing"
		if len(got) > 0 {
			first = short(got[0].Query)
		}
		msg = fmt.Sprintf("the first statement is %s; the feed's per-order lookup %s ran %d times and has the most total time of this database. Rank by total_exec_time: a fast statement run thousands of times costs more than a slow one run twice",
			first, short(plan.NPlusOne), plan.NPlusOneCalls())
	}
	c.Assert(nPlusName, ok, msg, checker.Evidence{Counts: map[string]int64{"n_plus_one_calls": plan.NPlusOneCalls()}})
}

// slowOnTopOfMean: the planted report runs a few times, each many times
// longer than a lookup: it must be in the list of every statement, with
// the highest mean of the traffic's statements there.
func slowOnTopOfMean(c *checker.Check, got []QueryStat, before, after []stat, plan workload.Plan) {
	var slow *QueryStat
	for i := range got {
		if strings.TrimSpace(got[i].Query) == plan.Slow {
			slow = &got[i]
		}
	}
	if slow == nil {
		c.Assert(slowName, false, fmt.Sprintf("the slow report %s (%d calls) is not in the list TopQueries returned for n = %d; this database's top %d by total time are %s",
			short(plan.Slow), plan.SlowCalls(), everyStatement, topN, describe(topOf(after, topN))), checker.Evidence{})
		return
	}
	_, real := between(*slow, before, after)
	ok := real
	msg := fmt.Sprintf("the slow report has the highest mean of the traffic's statements: %.1f ms a call", slow.MeanMS)
	if !real {
		msg = fmt.Sprintf("the slow report's numbers (%d calls, %.3f ms mean) are not the server's", slow.Calls, slow.MeanMS)
	}
	for _, q := range got {
		if q.Query != slow.Query && isTraffic(q.Query, plan) && q.MeanMS >= slow.MeanMS {
			ok = false
			msg = fmt.Sprintf("%s has a mean of %.3f ms, not below the slow report's %.3f ms: the mean is total_exec_time / calls (mean_exec_time)", short(q.Query), q.MeanMS, slow.MeanMS)
		}
	}
	c.Assert(slowName, ok, msg, checker.Evidence{Counts: map[string]int64{"slow_calls": plan.SlowCalls()}})
}

func isTraffic(query string, plan workload.Plan) bool {
	for _, s := range plan.Statements() {
		if strings.TrimSpace(query) == s {
			return true
		}
	}
	return false
}

// describe lists statements with their numbers, for a message.
func describe(stats []stat) string {
	parts := make([]string, len(stats))
	for i, s := range stats {
		parts[i] = fmt.Sprintf("%s (%d calls, %.1f ms in total)", short(s.Query), s.Calls, s.TotalMS)
	}
	return strings.Join(parts, ", ")
}

// short shortens a statement for a message.
func short(query string) string {
	q := strings.Join(strings.Fields(query), " ")
	if len(q) > 70 {
		q = q[:67] + "..."
	}
	return fmt.Sprintf("%q", q)
}
