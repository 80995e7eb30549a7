package lessontest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/answers"
	"github.com/dblings/dblings/internal/testenv"
)

// forgingFixture is a file a learner adds to the workspace's fixtures
// package, which every check imports. Its init starts a goroutine that
// waits for the check's first plan and then builds the index lesson 1 asks
// for, so that the learner's own Migrate does nothing; and in case the
// race is lost, it also ends the process at once with a forged passing
// report, which would at least be disputed, not failed.
const forgingFixture = `package fixtures

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

func init() {
	var given struct {
		Postgres []string
		Report   string
	}
	if json.Unmarshal([]byte(os.Getenv("DBLINGS_CHECK")), &given) != nil || len(given.Postgres) == 0 {
		return
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, given.Postgres[0])
	if err != nil {
		return
	}
	go func() {
		for range 2000 {
			var n int
			conn.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'EXPLAIN%' AND pid <> pg_backend_pid()").Scan(&n)
			if n > 0 {
				conn.Exec(ctx, "CREATE INDEX posts_forged_idx ON posts (author_id, created_at DESC)")
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	os.WriteFile(given.Report, []byte(` + "`" + `{"test":"TestExplainIndex","name":"forged","ok":true,"message":"trust me"}` + "`" + `+"\n"), 0o644)
	fmt.Print("\x16=== RUN   TestExplainIndex\n\x16--- PASS: TestExplainIndex (0.01s)\n\x16PASS\n")
	time.Sleep(5 * time.Second)
	os.Exit(0)
}
`

// TestForgedFixture: a file added to a package the check imports never
// reaches the build, so the untouched stub fails as a stub does (were the
// file built, the verdict would be disputed).
func TestForgedFixture(t *testing.T) {
	l := testenv.Lesson(t, "explain-index")
	ws := t.TempDir()
	for _, dir := range []string{"checker", "fixtures", "exercises"} {
		sub, err := fs.Sub(testenv.Source(), dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(filepath.Join(ws, dir), sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(testenv.Root(), name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(ws, "fixtures", "zz_forge.go"), []byte(forgingFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	env := servers.Get(t) // TestAnswers's, whose explain-index answers load the same data
	res, err := run.Check(t.Context(), l, run.Options{Workspace: ws, Source: testenv.Source(), Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pass() {
		t.Fatalf("the stub passed with a forging file in fixtures/:\n%s", describe(res))
	}
	requireExpected(t, answers.Expectation{Verdict: answers.Failed, Assertion: "index leads with author_id", Says: "no index on posts is used"}, res)
}
