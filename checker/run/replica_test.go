package run

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

// TestCloneReachesTheReplica: for a lesson that declares a replica, the
// check's fresh clone is readable on the replica as the check's own role,
// through the URL the contract hands over.
func TestCloneReachesTheReplica(t *testing.T) {
	env := testenv.StartFor(t, lessons.Needs{PostgresServers: 1, Replica: true})
	ctx := context.Background()
	l := lessons.Lesson{ID: "replica-test", Fixture: "users", PostgresServers: 1, Replica: true}
	d, err := prepareDatabases(ctx, l, Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	defer d.release(ctx)
	if d.replica == "" {
		t.Fatal("no replica URL for a lesson that declares one")
	}
	count := func(url string) (n int64, user string) {
		t.Helper()
		err := withConn(ctx, url, func(conn *pgx.Conn) error {
			return conn.QueryRow(ctx, "SELECT count(*), current_user FROM users").Scan(&n, &user)
		})
		if err != nil {
			t.Fatalf("read %s: %v", url, err)
		}
		return n, user
	}
	onPrimary, role := count(d.roles[0].url)
	onReplica, replicaRole := count(d.replica)
	if onReplica != onPrimary || replicaRole != role {
		t.Errorf("on the replica: %d users as %s; on the primary: %d as %s", onReplica, replicaRole, onPrimary, role)
	}
}

// TestLaggedReplica: with a lesson's replica_lag, a commit of the check is
// not on the replica right after it is made and is there once the lag has
// passed; the witness's scene reaches the clone on the replica as the
// superuser; release lifts the delay.
func TestLaggedReplica(t *testing.T) {
	env := testenv.StartFor(t, lessons.Needs{PostgresServers: 1, Replica: true})
	ctx := context.Background()
	const lag = 800 * time.Millisecond
	l := lessons.Lesson{ID: "replica-lag-test", Fixture: "users", PostgresServers: 1, Replica: true, ReplicaLag: lag}
	d, err := prepareDatabases(ctx, l, Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	defer d.release(ctx)
	scene, err := d.scene()
	if err != nil || scene.Replica == "" {
		t.Fatalf("the witness's scene has no replica URL (%v)", err)
	}
	write := func() (id int64, at time.Time) {
		t.Helper()
		err := withConn(ctx, d.roles[0].url, func(conn *pgx.Conn) error {
			return conn.QueryRow(ctx, "INSERT INTO users SELECT max(id) + 1, 'lag', 'lag@example.com', now() FROM users RETURNING id").Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		return id, time.Now()
	}
	seen := func(url string, id int64) bool {
		t.Helper()
		var n int
		err := withConn(ctx, url, func(conn *pgx.Conn) error {
			return conn.QueryRow(ctx, "SELECT count(*) FROM users WHERE id = $1", id).Scan(&n)
		})
		if err != nil {
			t.Fatalf("read %s: %v", url, err)
		}
		return n == 1
	}
	id, written := write() // without the lag, for the log
	for !seen(d.replica, id) {
		time.Sleep(time.Millisecond)
	}
	t.Logf("without a lag: visible on the replica %s after the commit", time.Since(written).Round(time.Millisecond))

	if err := d.lag(ctx, env, l.ReplicaLag); err != nil {
		t.Fatal(err)
	}
	given := givenContract(t, d)
	if given.ReplicaLag != lag {
		t.Errorf("the check is told a replica lag of %s, want %s", given.ReplicaLag, lag)
	}
	id, written = write()
	if seen(d.replica, id) {
		t.Fatalf("the write was on the replica %s after its commit, with a lag of %s", time.Since(written), lag)
	}
	for !seen(scene.Replica, id) {
		if time.Since(written) > lag+10*time.Second {
			t.Fatalf("the write never reached the replica")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if took := time.Since(written); took < lag-50*time.Millisecond {
		t.Errorf("the write reached the replica after %s, before the lag of %s", took, lag)
	}
	t.Logf("visible on the replica %s after the commit, with a lag of %s", time.Since(written).Round(time.Millisecond), lag)
	if problems := d.release(ctx); len(problems) > 0 {
		t.Fatal(problems)
	}
	r, _ := env.ReplicaOf()
	err = withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		var delay string
		if err := conn.QueryRow(ctx, "SHOW recovery_min_apply_delay").Scan(&delay); err != nil {
			return err
		}
		if delay != "0" {
			t.Errorf("after release, recovery_min_apply_delay = %s, want 0", delay)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// givenContract is the contract the check process would be handed.
func givenContract(t *testing.T, d *databases) contract.Check {
	t.Helper()
	entry, err := d.environ(filepath.Join(t.TempDir(), "report.jsonl"), "")
	if err != nil {
		t.Fatal(err)
	}
	name, value, _ := strings.Cut(entry, "=")
	given, err := contract.Read(func(n string) string {
		if n == name {
			return value
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return given
}
