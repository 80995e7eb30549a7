package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
)

// testCapabilities proves, on a running environment with a replica and a
// WAL archive, what the operations lessons stand on: pg_stat_statements in
// every server, a replica whose lag is under control, and a point-in-time
// restore from a base backup and the archived WAL. What it starts on the
// way is stopped; the caller checks that nothing is left.
func testCapabilities(t *testing.T, env *sandbox.Env) {
	replica, err := env.ReplicaOf()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("pg_stat_statements", func(t *testing.T) { testStatStatements(t, env) })
	t.Run("replica lag control", func(t *testing.T) { testLagControl(t, replica) })
	t.Run("clone streams to the replica", func(t *testing.T) { testCloneOnReplica(t, replica) })
	t.Run("replica keeps little WAL", func(t *testing.T) { testReplicaWAL(t, replica) })
	t.Run("replica stops", func(t *testing.T) { testReplicaStops(t, env) })
	t.Run("point-in-time restore", func(t *testing.T) { testRestore(t, env) })
	t.Run("kept record keeps them", func(t *testing.T) {
		ws := t.TempDir()
		if err := sandbox.SaveKept(ws, env); err != nil {
			t.Fatal(err)
		}
		kept, err := sandbox.LoadKept(context.Background(), ws)
		if err != nil {
			t.Fatal(err)
		}
		if kept.Replica == nil || kept.Replica.URL != env.Replica.URL || kept.Archive != env.Archive || kept.Archived == nil || kept.Archived.URL != env.Archived.URL || kept.Postgres[0].Container != env.Postgres[0].Container {
			t.Errorf("reloaded %+v, want the replica, archive and container of %+v", kept, env)
		}
	})
	t.Run("capabilities reported", func(t *testing.T) {
		for _, c := range env.Capabilities(context.Background(), true, true) {
			if !c.OK {
				t.Errorf("%s: %s", c.Name, c.Detail)
			}
			t.Logf("doctor line: %s  %s", c.Name, c.Detail)
		}
	})
}

func testStatStatements(t *testing.T, env *sandbox.Env) {
	ctx := context.Background()
	db := createDatabase(t, env.PrimaryURL(), "dblings_pgss")
	exec(t, db, "CREATE EXTENSION pg_stat_statements")
	exec(t, db, "SELECT 4242 AS dblings_marker")
	var calls int64
	query(t, db, "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query LIKE '%dblings_marker%'", &calls)
	if calls < 1 {
		t.Errorf("pg_stat_statements did not record the query (calls = %d)", calls)
	}
	_ = ctx
}

func testLagControl(t *testing.T, r *sandbox.Replica) {
	ctx := testContext(t)
	t.Cleanup(func() { _ = r.ResumeReplay(context.Background()) })
	exec(t, r.Primary.URL, "CREATE TABLE lag_probe (n int)")
	if err := r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := r.PauseReplay(ctx); err != nil {
		t.Fatal(err)
	}
	paused := time.Since(start)
	exec(t, r.Primary.URL, "INSERT INTO lag_probe VALUES (1)")
	lsn, err := r.PrimaryLSN(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Paused: the write is certainly not visible, however long we wait.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	err = r.WaitReplayed(short, lsn)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitReplayed with replay paused = %v, want the deadline", err)
	}
	if n := count(t, r.URL, "lag_probe"); n != 0 {
		t.Fatalf("the replica shows %d rows while paused, want 0 (a stale read)", n)
	}
	lag, err := r.Lag(ctx)
	if err != nil || !lag.Paused || !lag.Streaming || lag.Bytes <= 0 {
		t.Errorf("Lag while paused = %+v, %v; want paused, streaming, bytes behind", lag, err)
	}
	start = time.Now()
	if err := r.ResumeReplay(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.WaitReplayed(ctx, lsn); err != nil {
		t.Fatal(err)
	}
	resumed := time.Since(start)
	if n := count(t, r.URL, "lag_probe"); n != 1 {
		t.Fatalf("the replica shows %d rows after WaitReplayed, want 1", n)
	}
	// Unpaused, a write is replayed within moments.
	exec(t, r.Primary.URL, "INSERT INTO lag_probe VALUES (2)")
	start = time.Now()
	if err := r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("lag control: pause %s, resume+replayed %s, a write streamed and replayed in %s",
		paused.Round(time.Microsecond), resumed.Round(time.Microsecond), time.Since(start).Round(time.Microsecond))

	// An apply delay: stale right after the write, fresh once it has passed.
	const delay = 500 * time.Millisecond
	if err := r.SetApplyDelay(ctx, delay); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.SetApplyDelay(context.Background(), 0) })
	// The delay runs from the commit's timestamp, taken on the primary
	// before the INSERT returns: the clock starts before it is sent.
	written := time.Now()
	exec(t, r.Primary.URL, "INSERT INTO lag_probe VALUES (3)")
	if n := count(t, r.URL, "lag_probe"); n != 2 {
		t.Errorf("with a %s apply delay the replica shows %d rows right after the write, want 2 (stale)", delay, n)
	}
	if err := r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(written); took < delay {
		t.Errorf("the write was applied %s after it, before the %s delay", took, delay)
	}
	if n := count(t, r.URL, "lag_probe"); n != 3 {
		t.Errorf("after the delay the replica shows %d rows, want 3", n)
	}
}

// testCloneOnReplica: the runner clones a check's database from a
// template on the primary; the clone must be readable on the replica.
func testCloneOnReplica(t *testing.T, r *sandbox.Replica) {
	ctx := testContext(t)
	tmpl := createDatabase(t, r.Primary.URL, "dblings_tmpl")
	exec(t, tmpl, "CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 10000) g")
	start := time.Now()
	exec(t, r.Primary.URL, "CREATE DATABASE dblings_clone TEMPLATE dblings_tmpl")
	t.Cleanup(func() { exec(t, r.Primary.URL, "DROP DATABASE IF EXISTS dblings_clone") })
	if err := r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if n := count(t, withDatabase(t, r.URL, "dblings_clone"), "items"); n != 10000 {
		t.Fatalf("the clone on the replica has %d rows, want 10000", n)
	}
	t.Logf("a clone (10,000 rows) made on the primary is readable on the replica %s after CREATE DATABASE began", took.Round(time.Millisecond))
}

// testReplicaStops: an on-demand replica streams, and once stopped a read
// on it fails at once instead of hanging.
func testReplicaStops(t *testing.T, env *sandbox.Env) {
	ctx := context.Background()
	start := time.Now()
	r, err := env.StartReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("an on-demand replica started and streamed in %s", time.Since(start).Round(time.Millisecond))
	requireQuery(t, r.URL)
	// Every replica streams through a slot of its own, so that a burst of
	// WAL cannot outrun it; the env's replica holds one, this one another.
	if n := replicationSlots(t, env.PrimaryURL()); n != 2 {
		t.Errorf("%d active replication slots on the primary, want 2 (the environment's replica and this one)", n)
	}
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if n := replicationSlots(t, env.PrimaryURL()); n != 1 {
		t.Errorf("%d replication slots left on the primary after the replica stopped, want the environment's one", n)
	}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	start = time.Now()
	conn, err := pgx.Connect(short, r.URL)
	if err == nil {
		conn.Close(ctx)
		t.Fatal("a stopped replica still answers")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("a read on a stopped replica took %s to fail", took)
	}
}

// replicationSlots counts the replication slots on a server.
func replicationSlots(t *testing.T, url string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_replication_slots").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testRestore: rows written after the target are absent from the restore,
// rows before are there, and a table dropped after it still exists.
func testRestore(t *testing.T, env *sandbox.Env) {
	ctx := context.Background()
	if env.Archived == nil || env.Archived.URL == env.PrimaryURL() {
		t.Fatalf("archiving server %+v, want a server of its own beside the first", env.Archived)
	}
	db := createDatabase(t, env.Archived.URL, "dblings_pitr")
	exec(t, db, "CREATE TABLE ledger (n int); CREATE TABLE doomed (n int); INSERT INTO doomed VALUES (1)")
	backup, err := env.BaseBackup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = backup.Remove(ctx) })
	exec(t, db, "INSERT INTO ledger SELECT generate_series(1, 100)")
	target := serverNow(t, db)
	time.Sleep(20 * time.Millisecond) // the commits after it are later by the server's clock
	exec(t, db, "INSERT INTO ledger SELECT generate_series(101, 150)")
	exec(t, db, "DROP TABLE doomed")

	start := time.Now()
	restored, err := sandbox.Restore(ctx, backup, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = restored.Stop(ctx) })
	t.Logf("restore drill (archive the WAL, fresh server, replay to the target, promote): %s", time.Since(start).Round(time.Millisecond))
	got := withDatabase(t, restored.URL, "dblings_pitr")
	if n := count(t, got, "ledger"); n != 100 {
		t.Errorf("restored ledger has %d rows, want the 100 committed before the target", n)
	}
	if n := count(t, got, "doomed"); n != 1 {
		t.Errorf("the table dropped after the target has %d rows in the restore, want 1", n)
	}
	conn, err := pgx.Connect(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	err = conn.QueryRow(ctx, "SELECT sum(pg_database_size(oid)) FROM pg_database").Scan(&size)
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the restored server holds %d MB", size>>20)
	if err := restored.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	replica, err := env.StartArchivedReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, withDatabase(t, replica.URL, "dblings_pitr"), "ledger"); n != 150 {
		t.Errorf("the archiving server's replica has %d rows, want all 150", n)
	}
	if err := replica.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	var usage *sandbox.UsageError
	for _, bad := range []time.Time{backup.At.Add(-time.Hour), time.Now().Add(time.Hour)} {
		if _, err := sandbox.Restore(ctx, backup, bad); !errors.As(err, &usage) {
			t.Errorf("restore to %s (backup at %s) = %v, want a UsageError", bad, backup.At, err)
		}
	}
}

// TestExternalCapabilities: the external provider takes a replica by URL
// and refuses, with a readable typed error, what it cannot give.
func TestExternalCapabilities(t *testing.T) {
	testenv.RequireLocal(t)
	ctx := context.Background()
	real := testenv.Start(t, 1)
	ext, err := sandbox.Start(ctx, sandbox.Config{PostgresURLs: []string{real.PrimaryURL()}, RedisURL: real.Redis.URL})
	if err != nil {
		t.Fatal(err)
	}
	var capErr *sandbox.CapabilityError
	if _, err := ext.ReplicaOf(); !errors.As(err, &capErr) || !strings.Contains(err.Error(), "--replica-url") {
		t.Errorf("ReplicaOf without a replica URL = %v, want a CapabilityError naming --replica-url", err)
	}
	if _, err := ext.BaseBackup(ctx); !errors.As(err, &capErr) || !strings.Contains(err.Error(), "docker or local") {
		t.Errorf("BaseBackup on external = %v, want a CapabilityError naming docker or local", err)
	}
	if _, err := ext.StartReplica(ctx); !errors.As(err, &capErr) {
		t.Errorf("StartReplica on external = %v, want a CapabilityError", err)
	}
	testExternalReplica(t, real)
}

// testExternalReplica: a replica URL is taken only when it is a standby of
// the first server; anything else is a usage error that says what is wrong.
func testExternalReplica(t *testing.T, real *sandbox.Env) {
	ctx := testContext(t)
	standby, err := real.StartReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = standby.Stop(context.Background()) })
	// The servers of one environment may be copies of one initdb (local
	// does that); another environment's server is another cluster.
	other := testenv.Start(t, 1).PrimaryURL()
	tests := []struct {
		name, primary, replica, says string
	}{
		{"a standby of the first server", real.PrimaryURL(), standby.URL, ""},
		{"a primary", real.PrimaryURL(), other, "is not a standby"},
		{"the first server itself", real.PrimaryURL(), real.PrimaryURL(), "is not a standby"},
		{"a standby of another server", other, standby.URL, "is a standby of another server"},
		{"malformed", real.PrimaryURL(), "postgres://bad host/", "malformed Postgres URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := sandbox.Start(ctx, sandbox.Config{PostgresURLs: []string{tt.primary}, RedisURL: real.Redis.URL, ReplicaURL: tt.replica})
			if tt.says == "" {
				if err != nil {
					t.Fatal(err)
				}
				if r, err := env.ReplicaOf(); err != nil || r.URL != tt.replica {
					t.Errorf("ReplicaOf = %v, %v; want the standby", r, err)
				}
				return
			}
			var usage *sandbox.UsageError
			if !errors.As(err, &usage) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("Start = %v, want a UsageError saying %q", err, tt.says)
			}
		})
	}
}

// testReplicaWAL: a standby keeps the WAL it replayed only up to
// max_wal_size. After 400 MB of writes on the primary and a restartpoint,
// the replica's pg_wal must hold less than that: at the default 1 GB it
// kept all 400 MB (and, in a kept environment, grew to 1 GB, which docker
// keeps in memory).
func testReplicaWAL(t *testing.T, r *sandbox.Replica) {
	ctx := testContext(t)
	exec(t, r.Primary.URL, "CREATE TABLE wal_fill (pad text)")
	t.Cleanup(func() { exec(t, r.Primary.URL, "DROP TABLE wal_fill") })
	for range 4 { // about 100 MB of WAL each: rows of 1 kB are not compressed
		exec(t, r.Primary.URL, "INSERT INTO wal_fill SELECT repeat('w', 1000) FROM generate_series(1, 100000)")
	}
	exec(t, r.Primary.URL, "CHECKPOINT")
	if err := r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	exec(t, r.URL, "CHECKPOINT") // on a standby, a restartpoint
	var mb int64
	query(t, r.URL, "SELECT sum(size) / (1024 * 1024) FROM pg_ls_waldir()", &mb)
	t.Logf("after 400 MB of writes and a restartpoint, the replica's pg_wal holds %d MB", mb)
	if mb > 300 {
		t.Errorf("the replica's pg_wal holds %d MB after a restartpoint, want at most 300 (max_wal_size is 256 MB)", mb)
	}
}

// testContext bounds a test's waits: a replica that never replays fails
// the test instead of hanging it.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func createDatabase(t *testing.T, server, name string) string {
	t.Helper()
	exec(t, server, fmt.Sprintf("DROP DATABASE IF EXISTS %s", name))
	exec(t, server, fmt.Sprintf("CREATE DATABASE %s", name))
	return withDatabase(t, server, name)
}

func withDatabase(t *testing.T, server, name string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(server)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(server, "/"+cfg.Database+"?", "/"+name+"?", 1)
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func query(t *testing.T, url, sql string, dest ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, url, table string) int64 {
	t.Helper()
	var n int64
	query(t, url, "SELECT count(*) FROM "+table, &n)
	return n
}

func serverNow(t *testing.T, url string) time.Time {
	t.Helper()
	var now time.Time
	query(t, url, "SELECT clock_timestamp()", &now)
	return now
}
