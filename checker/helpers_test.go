package checker_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
	"github.com/jackc/pgx/v5"
)

// redisTestDB is the logical database the tests use. It is not 0, so that
// go-redis must SELECT it on every new connection, which the command log has
// to leave out. The tests never flush it; their keys carry a unique prefix.
const redisTestDB = "3"

// servers is a scratch database of its own on the test Postgres server, and
// the test Redis.
type servers struct {
	serverURL string // superuser URL of the Postgres server
	pgURL     string // superuser URL of the scratch database
	report    string // the check's report file
	redisURL  string
}

// TestWithServers runs every test that needs Postgres and Redis on one
// environment: with the docker and local providers, starting servers costs
// seconds, too much to pay per test on a shared 2-core machine. Each test
// still gets a scratch database of its own (see startServers).
func TestWithServers(t *testing.T) {
	env := testenv.Start(t, 1)
	tests := []struct {
		name string
		run  func(t *testing.T, env *sandbox.Env)
	}{
		{"AssertAndRequire", testAssertAndRequire},
		{"LeakedConnections", testLeakedConnections},
		{"GuardRails", testGuardRails},
		{"QueryLogRoundTrips", testQueryLogRoundTrips},
		{"QueryLogRecordsStatements", testQueryLogRecordsStatements},
		{"PeakOverlap", testPeakOverlap},
		{"CommandLog", testCommandLog},
		{"ExplainIndexFlip", testExplainIndexFlip},
		{"ExplainIsRolledBack", testExplainIsRolledBack},
		{"ExplainError", testExplainError},
		{"ExplainQueryFromLog", testExplainQueryFromLog},
		{"Indexes", testIndexes},
		{"Compare", testCompare},
		{"ConcurrencyAgainstPostgres", testConcurrencyAgainstPostgres},
		{"SQLStatePredicates", testSQLStatePredicates},
		{"ReportUnderConcurrentAssertions", testReportUnderConcurrentAssertions},
		{"ReportKeepsUnencodableEvidence", testReportKeepsUnencodableEvidence},
		{"WeightsAreRecorded", testWeightsAreRecorded},
		{"Shards", testShards},
		{"ShardFailures", testShardFailures},
		{"ByteCounter", testByteCounter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, env) })
	}
}

// startServers creates a scratch database on env's server (dropped when the
// test ends) and points the DBLINGS_CHECK_* variables at it, as the runner
// would. It returns the servers and the report file's path.
func startServers(t *testing.T, env *sandbox.Env) (servers, string) {
	t.Helper()
	server := env.Postgres[0].URL
	s := servers{
		serverURL: server,
		pgURL:     withDatabase(t, server, createScratchDB(t, server)),
		redisURL:  withDatabase(t, env.Redis.URL, redisTestDB),
	}
	s.report = filepath.Join(t.TempDir(), "report.jsonl")
	setContract(t, contract.Check{Postgres: []string{s.pgURL}, Redis: s.redisURL, Report: s.report})
	return s, s.report
}

// setContract hands a check what the runner would, through the contract's
// environment variable.
func setContract(t *testing.T, c contract.Check) {
	t.Helper()
	entry, err := c.Environ()
	if err != nil {
		t.Fatal(err)
	}
	name, value, _ := strings.Cut(entry, "=")
	t.Setenv(name, value)
}

// addShards creates n more scratch databases on the test server and hands
// them to the check as its shards, the first also being its database. One server is enough to test the plumbing;
// the runner gives each shard a server of its own.
func addShards(t *testing.T, s servers, n int) []string {
	t.Helper()
	var urls []string
	for range n {
		urls = append(urls, withDatabase(t, s.serverURL, createScratchDB(t, s.serverURL)))
	}
	setContract(t, contract.Check{Postgres: urls, Redis: s.redisURL, Report: s.report})
	return urls
}

func createScratchDB(t *testing.T, serverURL string) string {
	t.Helper()
	name := fmt.Sprintf("checker_test_%d_%08x", os.Getpid(), rand.Uint32())
	serverExec(t, serverURL, "CREATE DATABASE "+name)
	t.Cleanup(func() { serverExec(t, serverURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return name
}

func serverExec(t *testing.T, serverURL, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatalf("connect to %s: %v", serverURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// withDatabase replaces the database (Postgres) or logical database number
// (Redis) in a server URL.
func withDatabase(t *testing.T, rawURL, db string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parse %q: %v", rawURL, err)
	}
	u.Path = "/" + db
	return u.String()
}

// mustExec runs statements on the check's admin pool, failing the test on
// the first error.
func mustExec(t *testing.T, c *checker.Check, sqls ...string) {
	t.Helper()
	for _, sql := range sqls {
		if _, err := c.Admin().Exec(c.Ctx(), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
}

func readReport(t *testing.T, path string) []checker.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read report: %v", err)
	}
	recs, err := checker.ReadRecords(data)
	if err != nil {
		t.Fatalf("decode report: %v", err)
	}
	return recs
}

// helperEnv names the scenario a re-executed test binary must play.
const helperEnv = "CHECKER_TEST_SCENARIO"

// scenarios are checks that must fail on purpose, so they run in a child
// test process whose verdict and report the parent inspects.
var scenarios = map[string]func(t *testing.T){
	"new":          scenarioNew,
	"assert-fail":  scenarioAssertFail,
	"clean":        scenarioClean,
	"leak-acquire": scenarioLeakAcquire,
	"leak-rows":    scenarioLeakRows,
	"leak-tx":      scenarioLeakTx,
	"leak-shard":   scenarioLeakShard,
	"no-shards":    scenarioNoShards,
	"weights":      scenarioWeights,
}

// TestScenario is not a test but the child side of runScenario, entered
// through go test because a scenario is a check and needs a *testing.T. Run
// directly it returns at once, as os/exec's TestHelperProcess does: a skip
// would count as a test that did not run.
func TestScenario(t *testing.T) {
	name := os.Getenv(helperEnv)
	if name == "" {
		return
	}
	scenario, ok := scenarios[name]
	if !ok {
		t.Fatalf("unknown scenario %q", name)
	}
	scenario(t)
}

// runScenario runs one scenario in a child process with the current
// environment (and extra variables), and returns its output and whether
// its test passed. It fails if the child takes longer than limit.
func runScenario(t *testing.T, name string, limit time.Duration, extraEnv ...string) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestScenario$", "-test.v", "-test.count=1")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+name), extraEnv...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("scenario %s did not finish within %s:\n%s", name, limit, out)
	}
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("run scenario %s: %v", name, err)
	}
	return string(out), err == nil
}
