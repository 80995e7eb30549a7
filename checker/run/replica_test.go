package run

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

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
