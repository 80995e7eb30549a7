package checker_test

import (
	"testing"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

// testByteCounter: the counting pool is traced like the learner's pool, its
// counter sees how wide the rows were, and RowsReceived counts the rows
// that came back, not those a CREATE ... AS stored.
func testByteCounter(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	mustExec(t, c, "CREATE TABLE items AS SELECT i AS id, repeat('x', 100) AS name FROM generate_series(1, 1000) i")
	pool, counter := c.CountingPool()
	ctx := c.Ctx()

	measure := func(sql string) (rows, bytes int64) {
		t.Helper()
		c.QueryLog().Reset()
		counter.Reset()
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return c.QueryLog().RowsReceived(), counter.Received()
	}
	// Warm the connection up, so that connecting is not counted below.
	measure("SELECT 1")

	rows, small := measure("SELECT count(*) FROM items")
	if rows != 1 || small <= 0 || small > 1_000 {
		t.Errorf("a count: %d rows, %d bytes; want 1 row and a few dozen bytes", rows, small)
	}
	rows, all := measure("SELECT id, name FROM items")
	if rows != 1000 || all < 100_000 {
		t.Errorf("every row: %d rows, %d bytes; want 1000 rows and over 100,000 bytes", rows, all)
	}
	rows, packed := measure("SELECT array_agg(name) FROM items")
	if rows != 1 || packed < 100_000 {
		t.Errorf("every row in one array: %d rows, %d bytes; want 1 row and over 100,000 bytes", rows, packed)
	}
	if rows, _ := measure("CREATE TABLE copies AS SELECT * FROM items"); rows != 0 {
		t.Errorf("CREATE TABLE AS counted %d rows received; it sends none", rows)
	}
	if n := c.QueryLog().Count(); n != 1 {
		t.Errorf("the query log saw %d statements of the counting pool, want 1", n)
	}
}
