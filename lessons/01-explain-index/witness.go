// Package explainindex is lesson 1's second witness: after the check, it
// plans the author page's query itself, for the busiest author and a quiet
// one, and compares the catalog with what the fixture had.
package explainindex

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// newestPosts is the witness's own copy of the page's query.
const newestPosts = `SELECT id, title, created_at FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20`

// Witness is lesson 1's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, judge)
}

// look is what the witness reads before the check: the catalog, and the
// authors whose plans it judges.
type look struct {
	catalog witness.Catalog
	authors []int64
}

func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	var l look
	var err error
	if l.catalog, err = witness.ReadCatalog(ctx, conn, "posts", "users"); err != nil {
		return l, err
	}
	l.authors, err = busiestAndQuiet(ctx, conn)
	return l, err
}

func judge(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	after, err := witness.ReadCatalog(ctx, conn, "posts", "users")
	if err != nil {
		return nil, err
	}
	lost := before.catalog.Lost(after)
	facts := []witness.Fact{witness.Holds("database: existing indexes and constraints kept", len(lost) == 0,
		"every index and constraint the fixture had is still there",
		"the database no longer has "+strings.Join(lost, "; "))}
	for _, author := range before.authors {
		f, err := planFact(ctx, conn, author)
		if err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
	return facts, nil
}

// busiestAndQuiet reads from the data, in one pass over posts, the author
// with the most posts and one with a handful.
func busiestAndQuiet(ctx context.Context, conn *pgx.Conn) ([]int64, error) {
	var busiest, quiet int64
	err := conn.QueryRow(ctx, `
		WITH counts AS (SELECT author_id, count(*) AS n FROM posts GROUP BY author_id)
		SELECT (SELECT author_id FROM counts ORDER BY n DESC, author_id LIMIT 1),
			(SELECT author_id FROM counts WHERE n BETWEEN 3 AND 50 ORDER BY author_id LIMIT 1)`).Scan(&busiest, &quiet)
	if err != nil {
		return nil, fmt.Errorf("find the busiest author and a quiet one: %w", err)
	}
	return []int64{busiest, quiet}, nil
}

// planFact plans the page of one author: no Seq Scan on posts, no Sort.
func planFact(ctx context.Context, conn *pgx.Conn, author int64) (witness.Fact, error) {
	plan, err := checker.Explain(ctx, conn, newestPosts, author)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("plan the page of author %d: %w", author, err)
	}
	var problems []string
	if len(plan.SeqScans("posts")) > 0 {
		problems = append(problems, "a Seq Scan reads all of posts")
	}
	if plan.HasSort() {
		problems = append(problems, "a Sort orders the author's posts")
	}
	return witness.Holds(fmt.Sprintf("database: the page of author %d uses an index", author), len(problems) == 0,
		fmt.Sprintf("planned by dblings, the page of author %d reads an index in order", author),
		fmt.Sprintf("planned by dblings after the check, the page of author %d is not served by an index: %s", author, strings.Join(problems, ", "))), nil
}
