// Package onlinemigration is lesson 16's second witness. After the check
// it reads, as the superuser, what the migration left and what the
// application went through: the catalog (amount gone, amount_cents a
// bigint that cannot be NULL, a valid index on it), every payment's
// amount_cents against the data's seed and the application's logged
// writes, and pg_stat_statements' count and longest execution of the
// application's requests, which the learner's role can neither reset nor
// write.
package onlinemigration

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/witness"
)

// Bounds of the facts: the application must have run (at 4 clients of
// about 100 requests a second, a check makes thousands), and none of its
// requests ran for long. A request's execution time holds its lock waits
// (the check's traffic runs PL/pgSQL functions, whose statements lock
// inside the execution) and its share of a busy CPU, hence a bound looser
// than the check's own on lock waits alone.
const (
	minRequests  = 200
	maxExecMS    = 1500.0
	maxRowsPerTx = 20_000
)

// look is what the witness reads before the check.
type look struct{ rows int64 }

// Witness is lesson 16's witness. Before the check it sets up the
// application whose requests the check sends, so that the superuser owns
// it: the learner's role, which owns payments, may call its functions and
// cannot rewrite them to stop waiting on the table, nor add a trigger to
// its log of writes.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	lookAt := func(ctx context.Context, conn *pgx.Conn) (look, error) {
		if err := setUpApplication(ctx, conn, s.Role); err != nil {
			return look{}, fmt.Errorf("set up the application: %w", err)
		}
		var l look
		err := conn.QueryRow(ctx, `SELECT count(*) FROM payments`).Scan(&l.rows)
		return l, err
	}
	return witness.BeforeAndAfter(ctx, s, lookAt, func(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
		return judge(ctx, conn, s, before)
	})
}

// application is the check's application: one PL/pgSQL function per
// request of each version (a plain statement takes its table lock before
// execution starts; a function's statements lock inside it, where
// pg_stat_statements times the wait), each logging its writes in
// traffic.writes. The functions run with the caller's rights, as the
// learner's role, and name public.payments so that nothing the role
// creates elsewhere can stand in for it.
const application = `
CREATE SCHEMA traffic;
CREATE TABLE traffic.writes (id bigint PRIMARY KEY, cents bigint NOT NULL);
CREATE FUNCTION traffic.read_amount(p bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN RETURN (SELECT (amount * 100)::bigint FROM public.payments WHERE id = p); END $$;
CREATE FUNCTION traffic.read_cents(p bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN RETURN (SELECT amount_cents FROM public.payments WHERE id = p); END $$;
CREATE FUNCTION traffic.write_amount(p bigint, c bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE public.payments SET amount = c / 100.0 WHERE id = p;
	INSERT INTO traffic.writes VALUES (p, c) ON CONFLICT (id) DO UPDATE SET cents = excluded.cents;
END $$;
CREATE FUNCTION traffic.write_both(p bigint, c bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE public.payments SET amount = c / 100.0, amount_cents = c WHERE id = p;
	INSERT INTO traffic.writes VALUES (p, c) ON CONFLICT (id) DO UPDATE SET cents = excluded.cents;
END $$;
CREATE FUNCTION traffic.write_cents(p bigint, c bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE public.payments SET amount_cents = c WHERE id = p;
	INSERT INTO traffic.writes VALUES (p, c) ON CONFLICT (id) DO UPDATE SET cents = excluded.cents;
END $$;`

// setUpApplication creates the application as the superuser and lets
// role use it.
func setUpApplication(ctx context.Context, conn *pgx.Conn, role string) error {
	r := pgx.Identifier{role}.Sanitize()
	_, err := conn.Exec(ctx, application+`
GRANT USAGE ON SCHEMA traffic TO `+r+`;
GRANT SELECT, INSERT, UPDATE ON traffic.writes TO `+r+`;`)
	return err
}

func judge(ctx context.Context, conn *pgx.Conn, s *witness.Scene, before look) ([]witness.Fact, error) {
	schema, err := schemaFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	data, err := dataFact(ctx, conn, s.Seed, before)
	if err != nil {
		return nil, err
	}
	requests, err := requestsFact(ctx, conn, s.Role)
	if err != nil {
		return nil, err
	}
	batches, err := batchesFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	indexes, err := indexBuildsFact(ctx, conn, s.Role)
	if err != nil {
		return nil, err
	}
	return []witness.Fact{schema, data, requests, batches, indexes}, nil
}

// schemaFact reads the catalog: the witness's own copy of what the end of
// the migration looks like.
func schemaFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	var amountLeft, notNull bool
	var typ string
	var valid, invalid int64
	err := conn.QueryRow(ctx, `
SELECT
	EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'payments'::regclass AND attname = 'amount' AND NOT attisdropped),
	coalesce((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	          WHERE attrelid = 'payments'::regclass AND attname = 'amount_cents' AND NOT attisdropped), ''),
	coalesce((SELECT attnotnull FROM pg_attribute
	          WHERE attrelid = 'payments'::regclass AND attname = 'amount_cents' AND NOT attisdropped), false)
	OR EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'payments'::regclass AND contype = 'c' AND convalidated
	           AND pg_get_constraintdef(oid) = 'CHECK ((amount_cents IS NOT NULL))'),
	(SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
	 WHERE i.indrelid = 'payments'::regclass AND a.attname = 'amount_cents' AND i.indisvalid AND i.indisready AND i.indpred IS NULL),
	(SELECT count(*) FROM pg_index WHERE indrelid = 'payments'::regclass AND NOT (indisvalid AND indisready))`).
		Scan(&amountLeft, &typ, &notNull, &valid, &invalid)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the catalog of payments: %w", err)
	}
	ok := !amountLeft && typ == "bigint" && notNull && valid > 0 && invalid == 0
	return witness.Holds("database: payments migrated", ok,
		"the catalog shows amount_cents bigint, never NULL, a valid index on it, and no amount",
		fmt.Sprintf("the catalog shows amount still there: %t, amount_cents of type %q, never NULL: %t, "+
			"%d valid and %d invalid indexes on it", amountLeft, typ, notNull, valid, invalid)), nil
}

// dataFact reads every payment and compares amount_cents with the amount
// the seed gave it, or the last one the application logged writing.
func dataFact(ctx context.Context, conn *pgx.Conn, seed uint64, before look) (witness.Fact, error) {
	const name = "database: every payment's amount_cents"
	var logged bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('traffic.writes') IS NOT NULL`).Scan(&logged); err != nil {
		return witness.Fact{}, err
	}
	if !logged {
		return witness.Holds(name, false, "", "traffic.writes does not exist: the application never ran"), nil
	}
	var hasColumn bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'payments'::regclass
		AND attname = 'amount_cents' AND NOT attisdropped)`).Scan(&hasColumn); err != nil {
		return witness.Fact{}, err
	}
	if !hasColumn {
		return witness.Holds(name, false, "", "payments has no column amount_cents"), nil
	}
	rows, err := conn.Query(ctx, `SELECT p.id, p.amount_cents, w.cents FROM payments p LEFT JOIN traffic.writes w USING (id)`)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the payments: %w", err)
	}
	defer rows.Close()
	var seen, wrong int64
	for rows.Next() {
		var id int64
		var got, written *int64
		if err := rows.Scan(&id, &got, &written); err != nil {
			return witness.Fact{}, err
		}
		seen++
		want := fixtures.PaymentCents(id, seed)
		if written != nil {
			want = *written
		}
		if got == nil || *got != want {
			wrong++
		}
	}
	if err := rows.Err(); err != nil {
		return witness.Fact{}, err
	}
	return witness.Holds(name, seen == before.rows && wrong == 0,
		fmt.Sprintf("all %d payments hold their amount in cents, the application's writes included", seen),
		fmt.Sprintf("%d of %d payments (%d before the check) hold a wrong or NULL amount_cents", wrong, seen, before.rows)), nil
}

// requestsFact reads pg_stat_statements (in the schema dblings_stats,
// which the fixture made as the superuser): how many requests of the
// application the check's role ran in this database, and the longest.
func requestsFact(ctx context.Context, conn *pgx.Conn, role string) (witness.Fact, error) {
	var calls int64
	var longest float64
	err := conn.QueryRow(ctx, `
		SELECT coalesce(sum(calls), 0)::bigint, coalesce(max(max_exec_time), 0)
		FROM dblings_stats.pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND userid = (SELECT oid FROM pg_roles WHERE rolname = $1)
		  AND query LIKE 'SELECT traffic.%'`, role).Scan(&calls, &longest)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	var no []string
	if calls < minRequests {
		no = append(no, fmt.Sprintf("the application made %d requests, fewer than %d: it hardly ran", calls, minRequests))
	}
	if longest > maxExecMS {
		no = append(no, fmt.Sprintf("a request of the application ran %.0f ms (the bound is %.0f ms): it waited behind the migration", longest, maxExecMS))
	}
	return witness.Holds("database: the application's requests ran and none waited long", len(no) == 0,
		fmt.Sprintf("pg_stat_statements counts %d requests of the application, the longest %.0f ms", calls, longest),
		"pg_stat_statements: "+strings.Join(no, "; ")), nil
}

// batchesFact counts the payments whose current version one transaction
// wrote (their xmin). The fixture loaded them all in one transaction, so a
// large group left at the end is a migration that wrote every row at once,
// or none.
func batchesFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	var largest int64
	err := conn.QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM payments GROUP BY xmin::text) AS tx`).Scan(&largest)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("count the payments per transaction: %w", err)
	}
	return witness.Holds("database: the payments were written in small transactions", largest <= maxRowsPerTx,
		fmt.Sprintf("no transaction wrote more than %d payments", largest),
		fmt.Sprintf("one transaction wrote %d payments (the bound is %d)", largest, maxRowsPerTx)), nil
}

// indexBuildsFact reads the statements the check's role ran in this
// database from pg_stat_statements and looks for an index built without
// CONCURRENTLY.
func indexBuildsFact(ctx context.Context, conn *pgx.Conn, role string) (witness.Fact, error) {
	rows, err := conn.Query(ctx, `
		SELECT query FROM dblings_stats.pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND userid = (SELECT oid FROM pg_roles WHERE rolname = $1)
		  AND (query ILIKE '%index%')`, role)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	queries, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	var plain []string
	for _, q := range queries {
		if plainIndexBuild(q) {
			plain = append(plain, strings.Join(strings.Fields(q), " "))
		}
	}
	return witness.Holds("database: indexes built concurrently", len(plain) == 0,
		"pg_stat_statements shows no index built without CONCURRENTLY",
		"pg_stat_statements shows an index built without CONCURRENTLY: "+strings.Join(plain, "; ")), nil
}

// plainIndexBuild says whether sql builds an index while blocking writes:
// CREATE [UNIQUE] INDEX or REINDEX without CONCURRENTLY (the witness's own
// copy of the check's rule).
func plainIndexBuild(sql string) bool {
	words := strings.Fields(strings.ToLower(strings.NewReplacer("(", " ( ", ";", " ; ", "'", " ", "\"", " ").Replace(sql)))
	at := func(i int) string {
		if i < len(words) {
			return words[i]
		}
		return ""
	}
	for i, w := range words {
		switch {
		case w == "create" && at(i+1) == "index":
			if at(i+2) != "concurrently" {
				return true
			}
		case w == "create" && at(i+1) == "unique" && at(i+2) == "index":
			if at(i+3) != "concurrently" {
				return true
			}
		case w == "reindex":
			if at(i+1) != "(" && at(i+2) != "concurrently" {
				return true
			}
		}
	}
	return false
}
