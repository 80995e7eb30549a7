package checker_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func testQueryLogRoundTrips(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	mustExec(t, c, "CREATE TABLE items (id int PRIMARY KEY, name text)")

	tests := []struct {
		name string
		run  func(ctx context.Context, db *pgxpool.Pool) error
		// filter narrows what is counted; nil counts everything.
		filter     checker.Filter
		roundTrips int
		kinds      []checker.QueryKind
	}{
		{
			name: "one exec",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				_, err := db.Exec(ctx, "INSERT INTO items VALUES ($1, $2)", 1, "one")
				return err
			},
			roundTrips: 1, kinds: []checker.QueryKind{checker.KindQuery},
		},
		{
			name: "a batch of three inserts is one round trip",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				b := &pgx.Batch{}
				for i := 10; i < 13; i++ {
					b.Queue("INSERT INTO items VALUES ($1, $2)", i, "batched")
				}
				return db.SendBatch(ctx, b).Close()
			},
			roundTrips: 1, kinds: []checker.QueryKind{checker.KindBatchQuery, checker.KindBatchQuery, checker.KindBatchQuery},
		},
		{
			name: "copy of a hundred rows is one round trip",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				var rows [][]any
				for i := 100; i < 200; i++ {
					rows = append(rows, []any{i, "copied"})
				}
				_, err := db.CopyFrom(ctx, pgx.Identifier{"items"}, []string{"id", "name"}, pgx.CopyFromRows(rows))
				return err
			},
			roundTrips: 1, kinds: []checker.QueryKind{checker.KindCopy},
		},
		{
			name: "row by row is one round trip per row",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				for i := 200; i < 205; i++ {
					if _, err := db.Exec(ctx, "INSERT INTO items VALUES ($1, $2)", i, "single"); err != nil {
						return err
					}
				}
				return nil
			},
			roundTrips: 5, kinds: slices.Repeat([]checker.QueryKind{checker.KindQuery}, 5),
		},
		{
			name: "a transaction counts BEGIN and COMMIT",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, "UPDATE items SET name = 'changed' WHERE id = 1")
					return err
				})
			},
			roundTrips: 3, kinds: slices.Repeat([]checker.QueryKind{checker.KindQuery}, 3),
		},
		{
			name: "without transaction control only the update is left",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, "UPDATE items SET name = 'again' WHERE id = 1")
					return err
				})
			},
			filter:     checker.NotTxControl,
			roundTrips: 1, kinds: []checker.QueryKind{checker.KindQuery},
		},
		{
			name: "a prefix filter keeps the selects",
			run: func(ctx context.Context, db *pgxpool.Pool) error {
				var n int
				if err := db.QueryRow(ctx, "  select count(*) FROM items").Scan(&n); err != nil {
					return err
				}
				_, err := db.Exec(ctx, "DELETE FROM items WHERE id = -1")
				return err
			},
			filter:     checker.SQLHasPrefix("SELECT"),
			roundTrips: 1, kinds: []checker.QueryKind{checker.KindQuery},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := c.QueryLog()
			log.Reset()
			if err := tt.run(c.Ctx(), c.Pool()); err != nil {
				t.Fatal(err)
			}
			var filters []checker.Filter
			if tt.filter != nil {
				filters = append(filters, tt.filter)
			}
			if got := log.RoundTrips(filters...); got != tt.roundTrips {
				t.Errorf("round trips = %d, want %d; log: %+v", got, tt.roundTrips, checker.Statements(log.Queries()))
			}
			var kinds []checker.QueryKind
			for _, q := range log.Queries(filters...) {
				kinds = append(kinds, q.Kind)
				if q.End.IsZero() {
					t.Errorf("%q never ended", q.SQL)
				}
			}
			if !slices.Equal(kinds, tt.kinds) {
				t.Errorf("kinds = %v, want %v", kinds, tt.kinds)
			}
		})
	}
}

func testQueryLogRecordsStatements(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	mustExec(t, c, "CREATE TABLE notes (id int PRIMARY KEY, body text)")
	log := c.QueryLog()

	t.Run("sql and arguments", func(t *testing.T) {
		log.Reset()
		if _, err := c.Pool().Exec(c.Ctx(), "INSERT INTO notes VALUES ($1, $2)", 7, "hello"); err != nil {
			t.Fatal(err)
		}
		qs := log.Queries()
		if len(qs) != 1 {
			t.Fatalf("recorded %d statements, want 1", len(qs))
		}
		st := qs[0].Statement()
		if st.SQL != "INSERT INTO notes VALUES ($1, $2)" || !slices.Equal(st.Args, []string{"7", "hello"}) {
			t.Errorf("statement = %+v", st)
		}
		if qs[0].Tag.String() != "INSERT 0 1" || qs[0].PID == 0 {
			t.Errorf("tag %q, pid %d", qs[0].Tag, qs[0].PID)
		}
	})

	t.Run("errors keep their SQLSTATE", func(t *testing.T) {
		log.Reset()
		_, err := c.Pool().Exec(c.Ctx(), "INSERT INTO notes VALUES (7, 'duplicate')")
		if !checker.IsUniqueViolation(err) {
			t.Fatalf("err = %v", err)
		}
		st := log.Queries()[0].Statement()
		if st.SQLState != checker.CodeUniqueViolation || st.Error == "" {
			t.Errorf("statement = %+v", st)
		}
	})

	t.Run("the failed statement of a batch", func(t *testing.T) {
		log.Reset()
		b := &pgx.Batch{}
		b.Queue("INSERT INTO notes VALUES (8, 'fine')")
		b.Queue("INSERT INTO notes VALUES (7, 'duplicate')")
		b.Queue("INSERT INTO notes VALUES (9, 'never runs')")
		if err := c.Pool().SendBatch(c.Ctx(), b).Close(); !checker.IsUniqueViolation(err) {
			t.Fatalf("batch err = %v", err)
		}
		var states []string
		for _, q := range log.Queries() {
			states = append(states, checker.SQLState(q.Err))
		}
		if len(states) != 3 || states[0] != "" || states[1] != checker.CodeUniqueViolation {
			t.Errorf("SQLSTATEs per statement = %q", states)
		}
		if log.Batches() != 1 || log.RoundTrips() != 1 {
			t.Errorf("batches %d, round trips %d", log.Batches(), log.RoundTrips())
		}
	})

	t.Run("the admin pool is not traced", func(t *testing.T) {
		log.Reset()
		mustExec(t, c, "SELECT 1")
		if n := log.Count(); n != 0 {
			t.Errorf("admin statement recorded: %d", n)
		}
	})

	t.Run("evidence is capped", func(t *testing.T) {
		log.Reset()
		for range 60 {
			if _, err := c.Pool().Exec(c.Ctx(), "SELECT 1"); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(checker.Statements(log.Queries())); n != 50 {
			t.Errorf("evidence holds %d statements, want 50", n)
		}
	})
}

func testPeakOverlap(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	// Three connections are opened first: dialling one under load can take
	// longer than a query, and the queries would then not overlap.
	var conns []*pgxpool.Conn
	for range 3 {
		conn, err := c.Pool().Acquire(c.Ctx())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
	}
	for _, conn := range conns {
		conn.Release()
	}
	sleep := func(ctx context.Context) error {
		_, err := c.Pool().Exec(ctx, "SELECT pg_sleep(0.5)")
		return err
	}
	tests := []struct {
		name string
		run  func(ctx context.Context) error
		want int
	}{
		{"one after another", func(ctx context.Context) error {
			for range 3 {
				if err := sleep(ctx); err != nil {
					return err
				}
			}
			return nil
		}, 1},
		{"side by side", func(ctx context.Context) error {
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range 3 {
				wg.Go(func() { errs[i] = sleep(ctx) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					return err
				}
			}
			return nil
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.QueryLog().Reset()
			if err := tt.run(c.Ctx()); err != nil {
				t.Fatal(err)
			}
			if got := checker.PeakOverlap(c.QueryLog().Queries()); got != tt.want {
				t.Errorf("peak overlap = %d, want %d", got, tt.want)
			}
		})
	}
}
