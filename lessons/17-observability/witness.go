// Package observability is lesson 17's second witness. The lesson reads
// the server's statistics, so the witness reads them too, as the
// superuser, once the check's sessions are gone: the planted traffic ran
// in the check's database with the calls the seed's plan gives (an answer
// cannot have been computed before or without it), and the learner's role
// read pg_stat_statements and pg_statio_* itself (its own statements on
// those views are in pg_stat_statements, apart from the check's, which
// carry a mark).
package observability

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/lessons/17-observability/workload"
	"github.com/dblings/dblings/witness"
)

// checkMark is in the text of every statement the check sends to read the
// statistics (its own copy is in check/statements.go).
const checkMark = "dblings check"

// Decoy is the statement the witness runs before the check as the
// learner's role, in another database of the same server. Its text is
// visible to that role and belongs to no statement of the check's
// database, so an answer that reads pg_stat_statements without keeping to
// this database (dbid) certainly lists it when asked for every statement.
// The check knows it by that: no other database's statement ever has to
// outrank this one's for the mistake to show.
const Decoy = `SELECT 'another database' AS dblings_decoy`

// Witness plants the decoy, then judges after the check: the statistics
// of a fresh database start empty, so there is nothing else to look at
// before.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	if err := plantDecoy(ctx, s); err != nil {
		return nil, fmt.Errorf("run the decoy statement in another database: %w", err)
	}
	plan := workload.For(s.Seed)
	return func(ctx context.Context) ([]witness.Fact, error) {
		var facts []witness.Fact
		err := s.With(ctx, 0, func(conn *pgx.Conn) error {
			var err error
			facts, err = judge(ctx, conn, s.Role, plan)
			return err
		})
		return facts, err
	}, nil
}

// plantDecoy runs Decoy as the learner's role in the server's postgres
// database, which every server has and no check uses.
func plantDecoy(ctx context.Context, s *witness.Scene) error {
	u, err := url.Parse(s.Postgres[0])
	if err != nil {
		return err
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Only the decoy is the role's: the switch itself is not recorded.
	if _, err := conn.Exec(ctx, "SET pg_stat_statements.track_utility = off"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "SET ROLE "+pgx.Identifier{s.Role}.Sanitize()); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, Decoy)
	return err
}

// roleStatements are the role's statements in this database, by text.
const roleStatements = `
SELECT query, calls FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND userid = (SELECT oid FROM pg_roles WHERE rolname = $1)`

func judge(ctx context.Context, conn *pgx.Conn, role string, plan workload.Plan) ([]witness.Fact, error) {
	rows, err := conn.Query(ctx, roleStatements, role)
	if err != nil {
		return nil, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	calls := map[string]int64{}
	var queries []string
	err = forEach(rows, func(q string, n int64) {
		calls[strings.TrimSpace(q)] += n
		queries = append(queries, q)
	})
	if err != nil {
		return nil, fmt.Errorf("read pg_stat_statements: %w", err)
	}
	ran := calls[plan.NPlusOne] == plan.NPlusOneCalls() && calls[plan.Slow] == plan.SlowCalls()
	return []witness.Fact{
		witness.Holds("database: the planted traffic ran", ran,
			fmt.Sprintf("the check's traffic ran: the N+1 statement %d times, the slow report %d times", plan.NPlusOneCalls(), plan.SlowCalls()),
			fmt.Sprintf("the check's traffic did not run as planned: the N+1 statement ran %d times (planned %d), the slow report %d times (planned %d)",
				calls[plan.NPlusOne], plan.NPlusOneCalls(), calls[plan.Slow], plan.SlowCalls())),
		readFact(queries, "pg_stat_statements", "pg_stat_statements"),
		readFact(queries, "pg_statio_", "pg_statio_*"),
	}, nil
}

// readFact: a statement of the learner's that names the view, and is not
// one of the check's.
func readFact(queries []string, view, name string) witness.Fact {
	read := false
	for _, q := range queries {
		if strings.Contains(strings.ToLower(q), view) && !strings.Contains(q, checkMark) {
			read = true
		}
	}
	return witness.Holds("database: the learner's code read "+name, read,
		"the learner's role queried "+name+" itself",
		"no statement of the learner's role read "+name+": the answers did not come from the server's statistics")
}

func forEach(rows pgx.Rows, f func(string, int64)) error {
	defer rows.Close()
	for rows.Next() {
		var q string
		var n int64
		if err := rows.Scan(&q, &n); err != nil {
			return err
		}
		f(q, n)
	}
	return rows.Err()
}
