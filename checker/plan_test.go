package checker_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

const newestPostsOfAuthor = "SELECT * FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20"

// postsTable makes 100,000 posts by 1,000 authors, 100 posts each.
func postsTable(t *testing.T, c *checker.Check) {
	t.Helper()
	mustExec(t, c,
		`CREATE TABLE posts AS
		   SELECT g AS id, g % 1000 AS author_id,
		          timestamptz '2026-01-01' - g * interval '1 minute' AS created_at,
		          md5(g::text) AS body
		   FROM generate_series(1, 100000) AS g`,
		"ANALYZE posts")
}

func testExplainIndexFlip(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	postsTable(t, c)

	tests := []struct {
		name        string
		migration   string
		seqScan     bool
		sort        bool
		indexes     []string
		removed     int64
		rowsScanned func(int64) bool
	}{
		{
			name:        "without an index",
			seqScan:     true,
			sort:        true,
			removed:     99_900,
			rowsScanned: func(n int64) bool { return n == 100_000 },
		},
		{
			name:        "with an index on author_id, created_at DESC",
			migration:   "CREATE INDEX posts_author_created ON posts (author_id, created_at DESC)",
			indexes:     []string{"posts_author_created"},
			rowsScanned: func(n int64) bool { return n == 20 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.migration != "" {
				mustExec(t, c, tt.migration)
			}
			plan, err := checker.Explain(c.Ctx(), c.Admin(), newestPostsOfAuthor, 42)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("plan:\n%s", plan)
			if got := len(plan.SeqScans("posts")) > 0; got != tt.seqScan {
				t.Errorf("Seq Scan on posts: %v, want %v", got, tt.seqScan)
			}
			if plan.HasSort() != tt.sort {
				t.Errorf("HasSort = %v, want %v", plan.HasSort(), tt.sort)
			}
			if got := plan.IndexesUsed(); !slices.Equal(got, tt.indexes) {
				t.Errorf("indexes used = %v, want %v", got, tt.indexes)
			}
			var removed int64
			for _, n := range plan.Nodes() {
				removed += n.RowsRemoved()
			}
			if removed != tt.removed {
				t.Errorf("rows removed by filter = %d, want %d", removed, tt.removed)
			}
			if n := plan.RowsScanned("posts"); !tt.rowsScanned(n) {
				t.Errorf("rows scanned = %d", n)
			}
			if plan.Root.Rows() != 20 || plan.TotalBuffers() == 0 || plan.ExecutionTime <= 0 {
				t.Errorf("root rows %d, buffers %d, execution %.3f ms", plan.Root.Rows(), plan.TotalBuffers(), plan.ExecutionTime)
			}
		})
	}

	t.Run("the index's columns", func(t *testing.T) {
		cols, err := checker.IndexColumns(c.Ctx(), c.Admin(), "posts_author_created")
		if err != nil {
			t.Fatal(err)
		}
		want := []checker.IndexColumn{{Name: "author_id"}, {Name: "created_at", Descending: true, NullsFirst: true}}
		if !slices.Equal(cols, want) {
			t.Errorf("columns = %+v, want %+v", cols, want)
		}
	})
}

func testExplainIsRolledBack(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	postsTable(t, c)

	plan, err := checker.Explain(c.Ctx(), c.Admin(), "DELETE FROM posts WHERE author_id = $1;", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Find("ModifyTable")) != 1 || plan.RowsScanned("posts") != 100_000 {
		t.Errorf("unexpected plan for a DELETE:\n%s", plan)
	}
	var n int
	if err := c.Admin().QueryRow(c.Ctx(), "SELECT count(*) FROM posts WHERE author_id = 7").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 100 {
		t.Errorf("after EXPLAIN of a DELETE, author 7 has %d posts, want all 100 back", n)
	}
}

func testExplainError(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	_, err := checker.Explain(c.Ctx(), c.Admin(), "SELECT * FROM no_such_table")
	var ee *checker.ExplainError
	if !errors.As(err, &ee) || ee.SQL != "SELECT * FROM no_such_table" {
		t.Fatalf("err = %#v, want an *ExplainError with the SQL", err)
	}
	if checker.SQLState(err) != "42P01" {
		t.Errorf("SQLSTATE = %q, want 42P01 (undefined_table)", checker.SQLState(err))
	}
	if !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("message %q does not name the statement", err)
	}
}

func testExplainQueryFromLog(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	postsTable(t, c)
	// The learner's code runs the query; the check explains exactly what it sent.
	rows, err := c.Pool().Query(c.Ctx(), newestPostsOfAuthor, 42)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	qs := c.QueryLog().Queries(checker.SQLMatches(`from\s+posts`))
	if len(qs) != 1 {
		t.Fatalf("found %d queries on posts", len(qs))
	}
	plan, err := checker.ExplainQuery(c.Ctx(), c.Admin(), qs[0])
	if err != nil {
		t.Fatal(err)
	}
	if plan.Root.Rows() != 20 || plan.SQL != newestPostsOfAuthor {
		t.Errorf("plan of %q returned %d rows", plan.SQL, plan.Root.Rows())
	}
}

// parallelPlan is EXPLAIN output from Postgres 15 for a filter on an
// unindexed 300,000-row table (trimmed to the keys the checker reads).
const parallelPlan = `[{"Plan": {"Node Type": "Limit", "Actual Total Time": 20.343, "Actual Rows": 20, "Actual Loops": 1,
  "Shared Hit Blocks": 2194, "Shared Read Blocks": 1013,
  "Plans": [{"Node Type": "Gather Merge", "Parent Relationship": "Outer", "Actual Total Time": 20.339, "Actual Rows": 20,
    "Actual Loops": 1, "Workers Planned": 2, "Workers Launched": 2, "Shared Hit Blocks": 2194, "Shared Read Blocks": 1013,
    "Plans": [{"Node Type": "Sort", "Parent Relationship": "Outer", "Actual Total Time": 13.090, "Actual Rows": 20,
      "Actual Loops": 3, "Sort Key": ["created_at DESC"], "Sort Method": "top-N heapsort", "Sort Space Type": "Memory",
      "Shared Hit Blocks": 2194, "Shared Read Blocks": 1013,
      "Plans": [{"Node Type": "Seq Scan", "Parent Relationship": "Outer", "Parallel Aware": true,
        "Relation Name": "posts", "Alias": "posts", "Actual Total Time": 13.000, "Actual Rows": 100, "Actual Loops": 3,
        "Filter": "(author_id = 42)", "Rows Removed by Filter": 99900,
        "Shared Hit Blocks": 2080, "Shared Read Blocks": 1013}]}]}]},
  "Planning Time": 0.121, "Execution Time": 20.365}]`

func TestPlanRendering(t *testing.T) {
	plan, err := checker.ParsePlan([]byte(parallelPlan))
	if err != nil {
		t.Fatal(err)
	}
	want := `Limit (20 rows, 20.3 ms, 3,207 buffers)
  -> Gather Merge (20 rows, 20.3 ms, 3,207 buffers)
    -> Sort by created_at DESC (20 rows × 3 loops, 13.1 ms, 3,207 buffers)
      -> Parallel Seq Scan on posts (100 rows × 3 loops, 13.0 ms, 299,700 removed by filter, 3,093 buffers)
planning 0.121 ms, execution 20.4 ms`
	if got := plan.String(); got != want {
		t.Errorf("rendering:\n%s\nwant:\n%s", got, want)
	}
}

func TestPlanHelpers(t *testing.T) {
	plan, err := checker.ParsePlan([]byte(parallelPlan))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		nodeType string
		want     int
	}{
		{"a parallel seq scan is a seq scan", "Seq Scan", 1},
		{"the text EXPLAIN name also matches", "Parallel Seq Scan", 1},
		{"an index scan is not a bitmap index scan", "Index Scan", 0},
		{"sorts", "Sort", 1},
		{"the root", "Limit", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(plan.Find(tt.nodeType)); got != tt.want {
				t.Errorf("Find(%q) found %d nodes, want %d", tt.nodeType, got, tt.want)
			}
		})
	}
	if n := plan.RowsScanned("posts"); n != 300_000 {
		t.Errorf("rows scanned = %s, want 300,000 (100 kept and 99,900 removed, in each of 3 processes)", checker.FormatCount(n))
	}
	if n := len(plan.SeqScans("comments")); n != 0 {
		t.Errorf("found %d seq scans on a table the plan does not read", n)
	}
	if got := len(plan.Nodes()); got != 4 {
		t.Errorf("Nodes() = %d nodes, want 4", got)
	}
}
