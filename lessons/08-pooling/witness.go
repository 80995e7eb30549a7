// Package pooling is lesson 8's second witness: it reads the users before
// the check and after it, and counts the transactions the check's database
// committed in between. The burst's e-mail changes must be in the rows,
// exactly those and nothing else (the refused ones left no trace), and the
// burst's requests must have reached the server.
package pooling

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// The witness's own copy of the check's workload (lessons/08-pooling/check):
// change this when the check changes.
const (
	// requests is the size of the burst: every request is at least one
	// transaction on the server.
	requests = 200
	// moves is how many users the burst gives a new e-mail.
	moves = 10
)

// movedEmail is the address the check gives a moved user.
func movedEmail(id int64) string { return "moved." + strconv.FormatInt(id, 10) + "@example.org" }

// look is what the witness reads at each end of the check.
type look struct {
	// commits is read first, so that the witness's own reads do not count.
	commits int64
	// rows holds, by id, a digest of each user's row, and emails their
	// addresses.
	rows   map[int64]string
	emails map[int64]string
}

// Witness is lesson 8's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, judge)
}

func judge(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	after, err := lookAt(ctx, conn)
	if err != nil {
		return nil, err
	}
	return []witness.Fact{movesFact(before, after), commitsFact(after.commits - before.commits)}, nil
}

func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	l := look{rows: map[int64]string{}, emails: map[int64]string{}}
	if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return l, err
	}
	err := conn.QueryRow(ctx, `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&l.commits)
	if err != nil {
		return l, fmt.Errorf("read the database's commit count: %w", err)
	}
	rows, err := conn.Query(ctx, `SELECT id, email, md5(row(name, email, updated_at)::text) FROM users`)
	if err != nil {
		return l, fmt.Errorf("read the users: %w", err)
	}
	var id int64
	var email, sum string
	_, err = pgx.ForEachRow(rows, []any{&id, &email, &sum}, func() error {
		l.rows[id], l.emails[id] = sum, email
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("read the users: %w", err)
	}
	return l, nil
}

// movesFact: the rows that changed are exactly the burst's moves, each
// holding its new address; no user appeared or vanished.
func movesFact(before, after look) witness.Fact {
	var changed, strays []int64
	for id, sum := range after.rows {
		if old, ok := before.rows[id]; !ok || old != sum {
			changed = append(changed, id)
			if after.emails[id] != movedEmail(id) {
				strays = append(strays, id)
			}
		}
	}
	slices.Sort(changed)
	slices.Sort(strays)
	ok := len(changed) == moves && len(strays) == 0 && len(after.rows) == len(before.rows)
	yes := fmt.Sprintf("exactly %d users changed during the check, each to the new address the check asked for; the refused changes left no trace", moves)
	var no string
	switch {
	case len(after.rows) != len(before.rows):
		no = fmt.Sprintf("the users table went from %s rows to %s during the check: requests read and change users, they never add or remove one",
			checker.FormatCount(int64(len(before.rows))), checker.FormatCount(int64(len(after.rows))))
	case len(strays) > 0:
		no = fmt.Sprintf("user %d changed during the check and holds %q, which is not an address the check asked for: "+
			"a change the unique index refused, or one the check never made, reached the row", strays[0], after.emails[strays[0]])
	default:
		no = fmt.Sprintf("%d users changed during the check, where the check's burst moves %d to a new address: the changes never reached the database as the burst made them",
			len(changed), moves)
	}
	return witness.Holds("database: the e-mail changes landed, and only they", ok, yes, no)
}

// commitsFact: each request of the burst is at least one transaction.
func commitsFact(commits int64) witness.Fact {
	n := checker.FormatCount(commits)
	return witness.Holds("database: the requests reached the server", commits >= requests,
		fmt.Sprintf("the database committed %s transactions during the check, for a burst of %d requests", n, requests),
		fmt.Sprintf("the database committed only %s transactions during the check, where the burst alone sends %d requests, a transaction each: the requests never reached it", n, requests))
}
