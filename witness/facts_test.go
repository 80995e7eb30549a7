package witness_test

import (
	"context"
	"errors"
	"fmt"
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

// TestBeforeAndAfter: the first look happens before the check and only
// once, the judge sees what it saw and the database as the check left it,
// and a failure to look is an error of the step that failed.
func TestBeforeAndAfter(t *testing.T) {
	env := testenv.Start(t, 1)
	url := env.Postgres[0].URL
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	count := func(ctx context.Context, conn *pgx.Conn) (n int64, err error) {
		return n, conn.QueryRow(ctx, `SELECT count(*) FROM ba`).Scan(&n)
	}
	// grew is the judge most cases use: a fact from before and after.
	grew := func(ctx context.Context, conn *pgx.Conn, before int64) ([]witness.Fact, error) {
		after, err := count(ctx, conn)
		return []witness.Fact{witness.Holds("grew", after > before, fmt.Sprintf("%d to %d", before, after), "same")}, err
	}
	failed := errors.New("failed")
	for _, tc := range []struct {
		name  string
		scene []string // the scene's Postgres URLs
		check string   // what the check does between the looks
		look  func(context.Context, *pgx.Conn) (int64, error)
		judge func(context.Context, *pgx.Conn, int64) ([]witness.Fact, error)
		// cancel cancels the Witness's context once it has returned.
		cancel            bool
		wantLooks         int
		lookErr, judgeErr bool
		want              []witness.Fact
	}{{
		name: "judges the change against the first look", scene: []string{url},
		check: `INSERT INTO ba VALUES (4), (5)`, look: count, judge: grew, wantLooks: 1,
		want: []witness.Fact{{Name: "grew", OK: true, Message: "3 to 5"}},
	}, {
		name: "a check that changes nothing", scene: []string{url},
		check: `SELECT 1`, look: count, judge: grew, wantLooks: 1,
		want: []witness.Fact{{Name: "grew", Message: "same"}},
	}, {
		name: "the judge has the Judge's context", scene: []string{url},
		check: `INSERT INTO ba VALUES (4)`, look: count, judge: grew, cancel: true, wantLooks: 1,
		want: []witness.Fact{{Name: "grew", OK: true, Message: "3 to 4"}},
	}, {
		name: "a first look that fails", scene: []string{url},
		look: func(context.Context, *pgx.Conn) (int64, error) { return 0, failed }, judge: grew,
		wantLooks: 1, lookErr: true,
	}, {
		name: "a judge that fails", scene: []string{url},
		check: `SELECT 1`, look: count, wantLooks: 1, judgeErr: true,
		judge: func(context.Context, *pgx.Conn, int64) ([]witness.Fact, error) { return nil, failed },
	}, {
		name: "no database to look at", look: count, judge: grew, lookErr: true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			exec(`DROP TABLE IF EXISTS ba`)
			exec(`CREATE TABLE ba (id int); INSERT INTO ba VALUES (1), (2), (3)`)
			looks := 0
			look := func(ctx context.Context, conn *pgx.Conn) (int64, error) {
				looks++
				return tc.look(ctx, conn)
			}
			wctx, cancel := context.WithCancel(ctx)
			judge, err := witness.BeforeAndAfter(wctx, &witness.Scene{Postgres: tc.scene}, look, tc.judge)
			if tc.cancel {
				cancel()
			}
			defer cancel()
			if looks != tc.wantLooks {
				t.Errorf("looked %d times before the check, want %d", looks, tc.wantLooks)
			}
			if tc.lookErr {
				if err == nil || judge != nil {
					t.Fatalf("BeforeAndAfter = %v, %v; want no judge and an error", judge != nil, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			exec(tc.check)
			facts, err := judge(ctx)
			if looks != tc.wantLooks {
				t.Errorf("the judge looked before the check again: %d looks", looks)
			}
			if tc.judgeErr {
				if !errors.Is(err, failed) {
					t.Errorf("judge error %v, want %v", err, failed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(facts, tc.want) {
				t.Errorf("facts %+v, want %+v", facts, tc.want)
			}
		})
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
