// Package indextypes is lesson 13's second witness: after the check, with
// its own connection, dblings reads the catalog (a unique index on
// lower(email), a full-text index on articles, a partial index on
// sessions), counts the accounts per e-mail, plans its own lookup and
// expiry, and counts the sessions the check's clock expired.
package indextypes

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// The witness's own copies of the lookup and the expiry job.
const (
	lookup = `SELECT id FROM users WHERE lower(email) = lower($1)`
	expire = `DELETE FROM sessions WHERE expires_at <= $1`
)

// before is what the witness reads from the fresh database: the second
// clock of the check (the 15th percentile of the expiry times, as the
// check computes it), the sessions that must outlive it, and an e-mail to
// look up.
type before struct {
	clock time.Time
	kept  int64
	email string
}

// Witness is lesson 13's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookBefore, judge)
}

func lookBefore(ctx context.Context, conn *pgx.Conn) (before, error) {
	var b before
	err := conn.QueryRow(ctx, `SELECT percentile_disc(0.15) WITHIN GROUP (ORDER BY expires_at)
		FROM sessions WHERE expires_at IS NOT NULL`).Scan(&b.clock)
	if err != nil {
		return b, fmt.Errorf("read the expiry clock: %w", err)
	}
	err = conn.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE expires_at IS NULL OR expires_at > $1`, b.clock).Scan(&b.kept)
	if err != nil {
		return b, fmt.Errorf("count the sessions: %w", err)
	}
	return b, conn.QueryRow(ctx, `SELECT upper(email) FROM users ORDER BY id LIMIT 1`).Scan(&b.email)
}

func judge(ctx context.Context, conn *pgx.Conn, b before) ([]witness.Fact, error) {
	var uniqueLower, textIndex, partial bool
	var dupes, expired, kept int64
	err := conn.QueryRow(ctx, `
		SELECT
		  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = 'users'::regclass AND i.indisunique AND i.indisvalid
		          AND pg_get_indexdef(i.indexrelid) LIKE '%lower(email)%'),
		  EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
		          WHERE i.indrelid = 'articles'::regclass AND i.indisvalid AND am.amname IN ('gin', 'gist')),
		  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = 'sessions'::regclass AND i.indisvalid AND i.indpred IS NOT NULL
		          AND pg_get_indexdef(i.indexrelid) LIKE '%expires_at%'),
		  (SELECT count(*) FROM (SELECT FROM users GROUP BY lower(email) HAVING count(*) > 1) d),
		  (SELECT count(*) FROM sessions WHERE expires_at <= $1),
		  (SELECT count(*) FROM sessions WHERE expires_at IS NULL OR expires_at > $1)`, b.clock).
		Scan(&uniqueLower, &textIndex, &partial, &dupes, &expired, &kept)
	if err != nil {
		return nil, fmt.Errorf("read the catalog and the data: %w", err)
	}
	facts := []witness.Fact{
		witness.Holds("database: e-mails unique whatever their case", uniqueLower && dupes == 0,
			"a valid unique index on lower(email), and no two accounts share an e-mail",
			fmt.Sprintf("unique index on lower(email): %t; e-mails with more than one account: %d", uniqueLower, dupes)),
		witness.Holds("database: a full-text index on articles", textIndex,
			"articles has a valid GIN (or GiST) index", "articles has no valid GIN or GiST index"),
		witness.Holds("database: the expiry clock was followed", expired == 0 && kept == b.kept,
			fmt.Sprintf("no session expired by %s is left, and the %d others are all there", b.clock.Format(time.RFC3339), b.kept),
			fmt.Sprintf("%d sessions expired by %s are left, and %d of the %d others are there", expired, b.clock.Format(time.RFC3339), kept, b.kept)),
		witness.Holds("database: a partial index on sessions' expiry", partial,
			"sessions has a valid partial index on expires_at", "sessions has no valid partial index on expires_at"),
	}
	for _, p := range []struct {
		name, sql, table string
		arg              any
	}{{"the lookup by lower(email)", lookup, "users", b.email}, {"the expiry job", expire, "sessions", b.clock}} {
		f, err := planFact(ctx, conn, p.name, p.sql, p.table, p.arg)
		if err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
	return facts, nil
}

// planFact plans the witness's own statement: no Seq Scan on the table.
func planFact(ctx context.Context, conn *pgx.Conn, name, sql, table string, arg any) (witness.Fact, error) {
	plan, err := checker.Explain(ctx, conn, sql, arg)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("plan %s: %w", name, err)
	}
	used := plan.IndexesUsed()
	ok := len(plan.SeqScans(table)) == 0 && len(used) > 0
	return witness.Holds("database: "+name+" uses an index", ok,
		fmt.Sprintf("planned by dblings, %s reads %s", name, strings.Join(used, ", ")),
		fmt.Sprintf("planned by dblings after the check, %s reads no index of %s", name, table)), nil
}
