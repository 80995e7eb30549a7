// Package check is lesson 1's check: it plans the author page's query
// before and after the learner's migration and times it against the Seq
// Scan. It lives in a package of its own, compiled once and cached, and the
// exercise's check_test.go hands it the learner's work: an edit then
// recompiles only the learner's file and that one-line shim.
package check

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// minBufferGain and minSpeedup are deliberately far below what the right
// index gives (hundreds of times fewer buffers, tens of times faster), so a
// loaded machine never fails a right answer.
const (
	minBufferGain = 10
	minSpeedup    = 5
)

// newestPosts is the check's own copy of the author page's query: the
// task is an index for this query, so the check plans and times this one,
// whatever the exercise file's NewestPostsQuery says.
const newestPosts = `SELECT id, title, created_at
FROM posts
WHERE author_id = $1
ORDER BY created_at DESC
LIMIT 20`

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// Query is the exercise's NewestPostsQuery, which must stay as given.
	Query string
	// Migrate is the learner's migration.
	Migrate func(context.Context, *pgxpool.Pool) error
}

// Run is the check of lesson 1.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t)
	ctx := c.Ctx()
	author, quiet := authors(c, ctx)

	before, err := checker.Explain(ctx, c.Admin(), newestPosts, author)
	c.RequireNoError("plan before your migration", err)
	existing := indexNames(c, ctx)
	definitions := catalogDefinitions(c, ctx)

	c.RequireNoError("your migration runs", ex.Migrate(ctx, c.Pool()))

	after, err := checker.Explain(ctx, c.Admin(), newestPosts, author)
	c.RequireNoError("plan after your migration", err)
	plans := checker.Evidence{PlanBefore: before, PlanAfter: after}

	assertQueryUnchanged(c, ex.Query)
	assertNothingDropped(c, ctx, definitions)
	assertNoSeqScan(c, after, plans)
	assertLeadingColumn(c, ctx, after, plans)
	assertNoSort(c, after, plans)
	assertFewerBuffers(c, before, after, plans)
	assertEveryAuthor(c, ctx, quiet)
	assertNoUselessIndexes(c, ctx, existing, after)
	assertFaster(c, ctx, author)
}

// authors reads two authors from the data, in one pass over posts: the
// busiest, whose page's sort hurts most without the right index, and a
// quiet one with a handful of posts, so that an index fitted to the busy
// author alone does not pass. Neither is the same in every variant of the
// data that grade uses.
func authors(c *checker.Check, ctx context.Context) (busiest, quiet int64) {
	c.RequireNoError("find the busiest author and a quiet one", c.Admin().QueryRow(ctx, `
		WITH counts AS (SELECT author_id, count(*) AS n FROM posts GROUP BY author_id),
		busiest AS (SELECT author_id FROM counts ORDER BY n DESC, author_id LIMIT 1)
		SELECT (SELECT author_id FROM busiest),
			(SELECT author_id FROM counts WHERE n BETWEEN 3 AND 50
				AND author_id <> (SELECT author_id FROM busiest) ORDER BY author_id LIMIT 1)`).Scan(&busiest, &quiet))
	return busiest, quiet
}

// assertQueryUnchanged: the lesson gives the query; an answer that edits
// it answers another question.
func assertQueryUnchanged(c *checker.Check, query string) {
	ok := checker.OneLine(query) == checker.OneLine(newestPosts)
	msg := "NewestPostsQuery is the query the lesson gave"
	if !ok {
		msg = fmt.Sprintf("NewestPostsQuery was changed to %q; the page needs the query as given, and your task is the index that makes it fast (dblings reset explain-index restores the stub)",
			checker.OneLine(query))
	}
	c.Assert("the given query is unchanged", ok, msg, checker.Evidence{})
}

// catalogDefinitions lists the definitions of the indexes and constraints
// of the blog's tables.
func catalogDefinitions(c *checker.Check, ctx context.Context) map[string]string {
	rows, err := c.Admin().Query(ctx, `
		SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
		WHERE indrelid IN ('posts'::regclass, 'users'::regclass)
		UNION ALL
		SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid IN ('posts'::regclass, 'users'::regclass)`)
	c.RequireNoError("read the indexes and constraints", err)
	defs := map[string]string{}
	for rows.Next() {
		var name, def string
		c.RequireNoError("read the indexes and constraints", rows.Scan(&name, &def))
		defs[name] = def
	}
	c.RequireNoError("read the indexes and constraints", rows.Err())
	return defs
}

// assertNothingDropped: a migration adds what the query needs; it must
// not drop or change an index or constraint others rely on.
func assertNothingDropped(c *checker.Check, ctx context.Context, before map[string]string) {
	after := catalogDefinitions(c, ctx)
	var lost []string
	for name, def := range before {
		if after[name] != def {
			lost = append(lost, name+" ("+def+")")
		}
	}
	slices.Sort(lost)
	msg := "every index and constraint that was there is still there"
	if len(lost) > 0 {
		msg = fmt.Sprintf("your migration dropped or changed %s; other queries and the data's integrity rely on them, so a migration for one query only adds", strings.Join(lost, ", "))
	}
	c.Assert("existing indexes and constraints kept", len(lost) == 0, msg, checker.Evidence{Details: map[string]any{"lost": lost}})
}

// assertEveryAuthor plans the page of a quiet author too: the index must
// serve the page of any author, not only the one the check times.
func assertEveryAuthor(c *checker.Check, ctx context.Context, quiet int64) {
	plan, err := checker.Explain(ctx, c.Admin(), newestPosts, quiet)
	c.RequireNoError("plan the page of a quiet author", err)
	leading := false
	for _, name := range postsIndexes(plan) {
		cols, err := checker.IndexColumns(ctx, c.Admin(), name)
		leading = leading || (err == nil && len(cols) > 0 && cols[0].Name == "author_id")
	}
	ok := leading && len(plan.SeqScans("posts")) == 0
	msg := fmt.Sprintf("the page of author %d, who wrote a handful of posts, uses the same index", quiet)
	if !ok {
		how := "it uses no index"
		if used := plan.IndexesUsed(); len(used) > 0 {
			how = "it uses " + strings.Join(used, ", ")
		}
		if len(plan.SeqScans("posts")) > 0 {
			how = "a Seq Scan reads the whole table"
		}
		msg = fmt.Sprintf("the page of author %d, who wrote a handful of posts, does not use an index leading with author_id (%s): an index fitted to one author, such as a partial index, serves that author only",
			quiet, how)
	}
	c.Assert("the index serves every author", ok, msg, checker.Evidence{PlanAfter: plan})
}

func assertNoSeqScan(c *checker.Check, after *checker.Plan, ev checker.Evidence) {
	scans := after.SeqScans("posts")
	msg := "no Seq Scan on posts: the query reads only what it needs"
	if len(scans) > 0 {
		msg = fmt.Sprintf("%s on posts read all %s rows of the table and removed %s of them by filter; expected an Index Scan on an index whose leading column is author_id",
			scans[0].NodeType, checker.FormatCount(after.RowsScanned("posts")), checker.FormatCount(int64(removedByFilter(after))))
	}
	c.Assert("no Seq Scan on posts", len(scans) == 0, msg, ev)
}

func assertLeadingColumn(c *checker.Check, ctx context.Context, after *checker.Plan, ev checker.Evidence) {
	used := postsIndexes(after)
	var leading []string
	for _, name := range used {
		cols, err := checker.IndexColumns(ctx, c.Admin(), name)
		if err != nil || len(cols) == 0 {
			continue
		}
		if cols[0].Name == "author_id" {
			c.Assert("index leads with author_id", true,
				fmt.Sprintf("the plan uses %s (%s): author_id leads, so Postgres jumps straight to one author's posts", name, joinColumns(cols)), ev)
			return
		}
		leading = append(leading, fmt.Sprintf("%s leads with %s", name, cols[0].Name))
	}
	msg := "no index on posts is used; expected an index whose leading column is author_id, the column the query filters with ="
	if len(leading) > 0 {
		msg = fmt.Sprintf("the plan uses an index, but %s: Postgres walks it and throws away other authors' posts (%s rows removed by filter), and for a quiet author it would read most of the index; the column filtered with = (author_id) must come first",
			strings.Join(leading, ", "), checker.FormatCount(int64(removedByFilter(after))))
	}
	c.Assert("index leads with author_id", false, msg, ev)
}

func assertNoSort(c *checker.Check, after *checker.Plan, ev checker.Evidence) {
	msg := "no Sort: the index hands the posts over newest first and the LIMIT stops after 20"
	sorts := after.Find("Sort")
	if len(sorts) > 0 {
		msg = fmt.Sprintf("a Sort remains: Postgres finds %s posts of the author and sorts them all to keep 20; add created_at to the index after author_id so the index delivers the order",
			checker.FormatCount(int64(sorts[0].Rows())))
	}
	c.Assert("order served by the index", len(sorts) == 0, msg, ev)
}

func assertFewerBuffers(c *checker.Check, before, after *checker.Plan, ev checker.Evidence) {
	b, a := before.TotalBuffers(), after.TotalBuffers()
	ok := a*minBufferGain <= b
	msg := fmt.Sprintf("%s buffers before, %s after", checker.FormatCount(b), checker.FormatCount(a))
	if !ok {
		msg += fmt.Sprintf("; expected at least %d times fewer pages touched", minBufferGain)
	}
	ev.Counts = map[string]int64{"buffers_before": b, "buffers_after": a}
	c.Assert("far fewer pages read", ok, msg, ev)
}

// assertNoUselessIndexes rejects indexes added "just in case": every index
// the migration created must serve the query.
func assertNoUselessIndexes(c *checker.Check, ctx context.Context, existing map[string]bool, after *checker.Plan) {
	used := map[string]bool{}
	for _, name := range postsIndexes(after) {
		used[name] = true
	}
	var useless []string
	var all []checker.Index
	for _, table := range []string{"posts", "users"} {
		idx, err := checker.Indexes(ctx, c.Admin(), table)
		c.RequireNoError("read the indexes of "+table, err)
		all = append(all, idx...)
	}
	for _, idx := range all {
		if !existing[idx.Name] && !used[idx.Name] {
			useless = append(useless, fmt.Sprintf("%s (%s)", idx.Name, joinColumns(idx.Columns)))
		}
	}
	msg := "every index you added is used by the query"
	if len(useless) > 0 {
		msg = fmt.Sprintf("indexes the query does not use: %s. Each one slows every INSERT, UPDATE and DELETE and takes space; add an index when a plan needs it, and drop these",
			strings.Join(useless, ", "))
	}
	c.Assert("no indexes just in case", len(useless) == 0, msg, checker.Evidence{Details: map[string]any{"indexes": all}})
}

// assertFaster times the query against the same query with index use
// switched off, interleaved in the same run. Both are planned at every run
// (QueryExecModeExec): a cached plan would ignore the settings.
func assertFaster(c *checker.Check, ctx context.Context, author int64) {
	if !c.Timeable("faster than the table scan") {
		return
	}
	withoutIndex := func(ctx context.Context) error {
		tx, err := c.Admin().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, s := range []string{"enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"} {
			if _, err := tx.Exec(ctx, "SET LOCAL "+s+" = off"); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, newestPosts, pgx.QueryExecModeExec, author)
		return err
	}
	withIndex := func(ctx context.Context) error {
		_, err := c.Admin().Exec(ctx, newestPosts, pgx.QueryExecModeExec, author)
		return err
	}
	// The table scan takes tens of milliseconds every time: five samples
	// after one warm-up give a stable median and keep the verdict quick.
	timing, err := checker.Compare(ctx, withoutIndex, withIndex,
		checker.WithLabels("without an index", "with your index"), checker.WithWarmups(1), checker.WithSamples(5))
	c.RequireNoError("time the query", err)
	ok := timing.Ratio >= minSpeedup
	msg := fmt.Sprintf("%.1f times faster than without an index (%s)", timing.Ratio, timing)
	if !ok {
		msg += fmt.Sprintf("; expected at least %d times", minSpeedup)
	}
	c.Assert("faster than the table scan", ok, msg, checker.Evidence{Timing: &timing})
}

func indexNames(c *checker.Check, ctx context.Context) map[string]bool {
	names := map[string]bool{}
	for _, table := range []string{"posts", "users"} {
		idx, err := checker.Indexes(ctx, c.Admin(), table)
		c.RequireNoError("read the indexes of "+table, err)
		for _, i := range idx {
			names[i.Name] = true
		}
	}
	return names
}

// postsIndexes lists the indexes the plan reads to reach posts.
func postsIndexes(p *checker.Plan) []string {
	var names []string
	p.Walk(func(n *checker.PlanNode, _ int) {
		if n.IndexName != "" && (n.RelationName == "posts" || n.RelationName == "") {
			names = append(names, n.IndexName)
		}
	})
	return names
}

func removedByFilter(p *checker.Plan) float64 {
	var total float64
	for _, n := range p.Nodes() {
		total += n.RowsRemovedByFilter * float64(max(n.ActualLoops, 1))
	}
	return total
}

func joinColumns(cols []checker.IndexColumn) string {
	var parts []string
	for _, c := range cols {
		parts = append(parts, c.String())
	}
	return strings.Join(parts, ", ")
}
