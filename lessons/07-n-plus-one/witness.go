// Package nplusone is lesson 7's second witness. The lesson only reads, so
// what the witness can see is how the database was read: it counts the
// scans of the forum's tables and the transactions the check's database
// committed while the check ran. Outside a transaction every query commits
// on its own, so a front page built one query per post commits 201 times
// a page; the check's own slow baseline runs each page in one transaction
// and commits once.
package nplusone

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// forumTables are the tables every front page reads.
var forumTables = []string{"posts", "users", "comments"}

// maxCommits bounds the transactions of a check whose pages and loader
// each sent at most two queries: 20 pages (2 compared with the check's,
// 18 timed), two requests of the loader, the check's own reads and its 18
// timed baseline pages make about a hundred. One query per post commits
// 201 per page of 100, more than 2,000 in all.
const maxCommits = 500

// Witness is lesson 7's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, judge)
}

func judge(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	after, err := lookAt(ctx, conn)
	if err != nil {
		return nil, err
	}
	return []witness.Fact{readFact(before, after), commitsFact(after.commits - before.commits)}, nil
}

// look is what the witness reads at each end of the check.
type look struct {
	commits int64
	scans   map[string]int64 // sequential and index scans, by table
}

func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	l := look{scans: map[string]int64{}}
	// The commit count first, so that the witness's own reads after it do
	// not count (pg_stat_clear_snapshot reads the counters afresh).
	if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return l, err
	}
	err := conn.QueryRow(ctx, `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&l.commits)
	if err != nil {
		return l, fmt.Errorf("read the database's commit count: %w", err)
	}
	for _, t := range forumTables {
		st, err := witness.ReadTableStats(ctx, conn, t)
		if err != nil {
			return l, err
		}
		l.scans[t] = st.SeqScans + st.IndexScans
	}
	return l, nil
}

// readFact: the check reads every table of the forum (its own page, the
// learner's page, the loader's authors), so each was scanned.
func readFact(before, after look) witness.Fact {
	var unread []string
	for _, t := range forumTables {
		if after.scans[t] <= before.scans[t] {
			unread = append(unread, t)
		}
	}
	return witness.Holds("database: the forum was read", len(unread) == 0,
		"posts, users and comments were all read during the check",
		"nothing read "+strings.Join(unread, " or ")+" during the check: the front page and the loader never reached the database")
}

// commitsFact: at most two queries per page keeps the database's commits
// far below one per post.
func commitsFact(commits int64) witness.Fact {
	n := checker.FormatCount(commits)
	return witness.Holds("database: the pages were not built one query per post", commits < maxCommits,
		fmt.Sprintf("the database committed %s transactions during the check, fewer than %d: the pages were built in a few queries each", n, maxCommits),
		fmt.Sprintf("the database committed %s transactions during the check, at least %d: queries sent one by one, as one query per post does (201 for each page of 100)", n, maxCommits))
}
