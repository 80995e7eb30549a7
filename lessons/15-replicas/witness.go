// Package replicas is lesson 15's second witness. Where a read was served
// is a fact of the servers: each counts the statements it ran
// (pg_stat_statements), by role and database, in counters the check's role
// can read but not reset. The witness reads them on the primary and on the
// replica after the check, and counts the comments the check's sessions
// wrote on the primary.
package replicas

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// The witness's own copies of what the check does: the marker of its
// post page query, how many page reads its workload makes, the share the
// replica must serve, and the mark of the comments its sessions write.
const (
	pageMarker = "LEFT JOIN comments c ON c.post_id = p.id"
	pageReads  = 8 * 30
	minShare   = 90 // percent
	// fallback is how many reads the primary may serve beyond the rest
	// (5%: the reads the replica was too slow for, as the check allows).
	fallback    = pageReads * 5 / 100
	commentMark = "of the replicas check"
	minComments = 8
)

// Witness makes the server count statements in the check's database (the
// extension lives in the clone, created before the runner delays the
// replica, so the replica has it too), and returns the judge.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	if s.Replica == "" {
		return nil, fmt.Errorf("lesson 15's witness needs the replica: lesson.toml must say servers.replica = true")
	}
	var role, db uint32
	err := s.With(ctx, 0, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); err != nil {
			return fmt.Errorf("create pg_stat_statements in the check's database: %w", err)
		}
		return conn.QueryRow(ctx, `SELECT (SELECT oid FROM pg_roles WHERE rolname = $1),
			(SELECT oid FROM pg_database WHERE datname = current_database())`, s.Role).Scan(&role, &db)
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) ([]witness.Fact, error) {
		return judge(ctx, s, role, db)
	}, nil
}

// judge reads the page query's calls on both servers and the comments
// written, and states the facts.
func judge(ctx context.Context, s *witness.Scene, role, db uint32) ([]witness.Fact, error) {
	const calls = `SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
		WHERE userid = $1 AND dbid = $2 AND strpos(query, $3) > 0`
	var onPrimary, onReplica, comments int64
	err := s.With(ctx, 0, func(conn *pgx.Conn) error {
		if err := conn.QueryRow(ctx, calls, role, db, pageMarker).Scan(&onPrimary); err != nil {
			return fmt.Errorf("count the page reads on the primary: %w", err)
		}
		return conn.QueryRow(ctx, `SELECT count(*) FROM comments WHERE strpos(body, $1) > 0`, commentMark).Scan(&comments)
	})
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, s.Replica)
	if err != nil {
		return nil, fmt.Errorf("connect to the replica: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := conn.QueryRow(ctx, calls, role, db, pageMarker).Scan(&onReplica); err != nil {
		return nil, fmt.Errorf("count the page reads on the replica: %w", err)
	}
	return []witness.Fact{shareFact(onPrimary, onReplica), writesFact(comments)}, nil
}

// shareFact: the replica served at least minShare of the workload's page
// reads, and the primary no more than the rest.
func shareFact(onPrimary, onReplica int64) witness.Fact {
	least := int64(pageReads * minShare / 100)
	p, r := checker.FormatCount(onPrimary), checker.FormatCount(onReplica)
	most := pageReads - least + fallback
	return witness.Holds("servers: the replica served the page reads", onReplica >= least && onPrimary <= most,
		fmt.Sprintf("the replica ran the page query %s times and the primary %s, for %d reads", r, p, pageReads),
		fmt.Sprintf("the replica ran the page query %s times and the primary %s: for the %d reads of the workload, at least %d belong on the replica and at most %d on the primary",
			r, p, pageReads, least, most))
}

// writesFact: the check's sessions wrote their comments on the primary.
func writesFact(comments int64) witness.Fact {
	n := checker.FormatCount(comments)
	return witness.Holds("primary: the sessions' comments were written", comments >= minComments,
		fmt.Sprintf("the primary holds the %s comments the check's sessions wrote", n),
		fmt.Sprintf("the primary holds %s comments of the check's sessions, fewer than the %d it writes", n, minComments))
}
