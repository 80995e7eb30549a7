package run

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker/vault"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

// TestVault: for a lesson that declares archive, the check's databases are
// on the archiving server, the witness's backups are listed to the
// learner's code, a restore gives back the moment asked for as the check's
// own role, what cannot be done is refused in words, and release stops
// what was restored.
func TestVault(t *testing.T) {
	env := testenv.StartFor(t, lessons.Needs{PostgresServers: 1, Archive: true})
	ctx := context.Background()
	l := lessons.Lesson{ID: "vault-test", Fixture: "bakery", PostgresServers: 1, Archive: true}
	d, err := prepareDatabases(ctx, l, Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	defer d.release(ctx)
	if d.sessions[0].url != env.Archived.URL {
		t.Fatalf("the check's database is on %s, want the archiving server", d.sessions[0].url)
	}
	scene, err := d.scene()
	if err != nil || scene.Vault == nil {
		t.Fatalf("scene %+v, %v: want the vault", scene, err)
	}
	if err := scene.Vault.TakeBackup(ctx, "first"); err != nil {
		t.Fatal(err)
	}
	// addCustomer commits a customer and returns the server's clock after
	// the commit.
	addCustomer := func() time.Time {
		t.Helper()
		var at time.Time
		err := withConn(ctx, d.clones[0].URL, func(conn *pgx.Conn) error {
			if _, err := conn.Exec(ctx, `INSERT INTO customers SELECT max(id) + 1, 'n', 'e' FROM customers`); err != nil {
				return err
			}
			return conn.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&at)
		})
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	target := addCustomer()
	time.Sleep(20 * time.Millisecond)
	addCustomer()

	d.vault.limit = 2 // the refusal of one too many, without restoring maxRestores servers
	socket, err := d.vault.serve(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(socket); err != nil || fi.Mode().Perm() != 0o666 {
		t.Errorf("socket %s: %v, %v; want mode 0666 (the check may run as another user)", socket, fi, err)
	}
	v := vault.Dial(socket)
	backups, err := v.Backups(ctx)
	if err != nil || len(backups) != 1 || backups[0].Name != "first" {
		t.Fatalf("backups %+v, %v; want the witness's one", backups, err)
	}

	refusals := []struct {
		name   string
		backup string
		target time.Time
		says   string
	}{
		{"unknown backup", "nope", target, `no backup is named "nope": the vault holds "first"`},
		{"before the backup", "first", backups[0].TakenAt.Add(-time.Minute), "the base backup was taken later"},
		{"in the future", "first", time.Now().Add(time.Hour), "has not come yet"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Restore(ctx, tt.backup, tt.target)
			var refused *vault.Error
			if !errors.As(err, &refused) || refused.Status != 400 || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("restore = %v, want a refusal saying %q", err, tt.says)
			}
		})
	}

	restored, err := v.Restore(ctx, "first", target)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restore to a moment after the backup: %s", restored.Took.Round(time.Millisecond))
	count := func(url string) (n int64, user string) {
		t.Helper()
		err := withConn(ctx, url, func(conn *pgx.Conn) error {
			return conn.QueryRow(ctx, "SELECT count(*), current_user FROM customers").Scan(&n, &user)
		})
		if err != nil {
			t.Fatalf("read %s: %v", url, err)
		}
		return n, user
	}
	onPrimary, role := count(d.roles[0].url)
	if n, user := count(restored.URL); n != onPrimary-1 || user != role {
		t.Errorf("restored: %d customers as %s, want %d (the second was added after the target) as %s", n, user, onPrimary-1, role)
	}
	replica, err := v.Replica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, user := count(replica); n != onPrimary || user != role {
		t.Errorf("replica: %d customers as %s, want %d as %s", n, user, onPrimary, role)
	}
	if r := scene.Vault.Restores(); len(r) != 1 || r[0].URL != restored.URL || r[0].Admin == "" {
		t.Errorf("the witness sees restores %+v, want the one", r)
	}

	if _, err := v.Restore(ctx, "first", target); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Restore(ctx, "first", target); err == nil || !strings.Contains(err.Error(), "at most 2 servers") {
		t.Errorf("a third restore = %v, want a refusal", err)
	}

	if problems := d.release(ctx); len(problems) > 0 {
		t.Fatalf("release: %v", problems)
	}
	if err := withConn(ctx, restored.URL, func(*pgx.Conn) error { return nil }); err == nil {
		t.Error("the restored server still answers after release")
	}
}
