package witness_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/witness"
)

// TestFactsFromARealServer: each helper reads what a change to a table
// really did, from a server, and only that.
func TestFactsFromARealServer(t *testing.T) {
	env := testenv.Start(t, 1)
	ctx := context.Background()
	scene := &witness.Scene{Postgres: []string{env.Postgres[0].URL}}
	exec := func(conn *pgx.Conn, sqls ...string) {
		t.Helper()
		for _, sql := range sqls {
			if _, err := conn.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
	}
	err := scene.With(ctx, 0, func(conn *pgx.Conn) error {
		exec(conn, `DROP TABLE IF EXISTS wt`, `CREATE TABLE wt (id int PRIMARY KEY, v text)`,
			`CREATE INDEX wt_v ON wt (v)`, `INSERT INTO wt SELECT g, 'v' || g FROM generate_series(1, 100) g`)

		before, err := witness.ReadCatalog(ctx, conn, "wt")
		if err != nil {
			return err
		}
		digest, err := witness.ReadDigest(ctx, conn, `SELECT * FROM wt`)
		if err != nil {
			return err
		}
		stats, err := witness.ReadTableStats(ctx, conn, "wt")
		if err != nil {
			return err
		}

		// Another session changes the table and ends, as a check does.
		if err := scene.With(ctx, 0, func(other *pgx.Conn) error {
			exec(other, `DROP INDEX wt_v`, `UPDATE wt SET v = 'x' WHERE id <= 3`, `SELECT count(*) FROM wt`)
			return nil
		}); err != nil {
			return err
		}

		after, err := witness.ReadCatalog(ctx, conn, "wt")
		if err != nil {
			return err
		}
		if lost := before.Lost(after); !slices.Equal(lost, []string{"CREATE INDEX wt_v ON public.wt USING btree (v)"}) {
			t.Errorf("lost %q, want the dropped index only", lost)
		}
		changed, err := witness.ReadDigest(ctx, conn, `SELECT * FROM wt`)
		if err != nil {
			return err
		}
		if changed.Rows != 100 || changed.MD5 == digest.MD5 {
			t.Errorf("digest after an update: %+v, before %+v; want 100 rows and another sum", changed, digest)
		}
		same, err := witness.ReadDigest(ctx, conn, `SELECT * FROM wt ORDER BY id DESC`)
		if err != nil {
			return err
		}
		if same != changed {
			t.Errorf("the digest depends on the order of the rows: %+v and %+v", same, changed)
		}
		// A session's counters reach the server as it ends, a moment
		// after its client has gone (the runner waits for the check's
		// sessions the same way).
		var d witness.TableStats
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			later, err := witness.ReadTableStats(ctx, conn, "wt")
			if err != nil {
				return err
			}
			if d = later.Since(stats); d.Updated > 0 {
				break
			}
		}
		if d.Updated != 3 || d.SeqScans < 1 || d.RowsRead() < 100 {
			t.Errorf("the other session updated 3 rows and read the table once; the counters say %+v", d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHolds(t *testing.T) {
	for _, tc := range []struct {
		ok   bool
		want string
	}{{true, "yes"}, {false, "no"}} {
		f := witness.Holds("fact", tc.ok, "yes", "no")
		if f.OK != tc.ok || f.Message != tc.want || f.Name != "fact" {
			t.Errorf("Holds(%v) = %+v", tc.ok, f)
		}
	}
}

func TestConnectOutOfRange(t *testing.T) {
	s := &witness.Scene{}
	if _, err := s.Connect(context.Background(), 0); err == nil {
		t.Error("a scene without databases connected to one")
	}
	if _, err := s.RedisClient(); err == nil {
		t.Error("a scene without Redis gave a client")
	}
}
