// Package pagination is lesson 3's second witness: after the check it plans
// the feed's first page and a deep keyset page itself, with its own copy of
// the queries, compares the catalog with what the fixture had, and weighs
// the rows of posts read while the check ran. Only an index in the feed's
// order, which the learner's Migrate creates, lets both plans start at the
// right place and read no more than a page; only pages that start at their
// cursor keep the rows read near what the check itself reads.
package pagination

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

const (
	// pageSize and deepPage are the feed's page and the deep page the
	// lesson measures: page 10,000 at 20 posts a page.
	pageSize = 20
	deepPage = 10_000
	// maxRowsRead is the lesson's bound for a page: ten pages' worth,
	// against 200,000 rows for OFFSET at page 10,000.
	maxRowsRead = 10 * pageSize
	// maxReadsPerPost bounds the rows of posts read during the whole
	// check, per post (see readsFact).
	maxReadsPerPost = 8
)

// The witness's own copy of the feed's queries: the first page, and the
// page after a position, written as the lesson teaches.
const (
	firstPage = `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC, id DESC LIMIT $1`
	nextPage = `SELECT id, author_id, title, created_at FROM posts
WHERE (created_at, id) < ($1, $2)
ORDER BY created_at DESC, id DESC LIMIT $3`
	// deepPosition is where page deepPage starts: the last post of the
	// page before it.
	deepPosition = `SELECT created_at, id FROM posts
ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`
)

// Witness is lesson 3's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, judge)
}

// look is what the witness reads at each end of the check.
type look struct {
	stats   witness.TableStats
	catalog witness.Catalog
}

// lookAt reads the counters first, before the witness reads posts itself.
func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	var l look
	var err error
	if l.stats, err = witness.ReadTableStats(ctx, conn, "posts"); err != nil {
		return l, err
	}
	l.catalog, err = witness.ReadCatalog(ctx, conn, "posts")
	return l, err
}

func judge(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	after, err := lookAt(ctx, conn)
	if err != nil {
		return nil, err
	}
	lost := before.catalog.Lost(after.catalog)
	kept := witness.Holds("database: existing indexes and constraints kept", len(lost) == 0,
		"every index and constraint the fixture had is still there",
		"the database no longer has "+strings.Join(lost, "; "))
	reads, err := readsFact(ctx, conn, after.stats.Since(before.stats))
	if err != nil {
		return nil, err
	}
	first, err := firstPageFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	deep, err := deepPageFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	return []witness.Fact{kept, first, deep, reads}, nil
}

// readsFact weighs the rows of posts read while the check ran against the
// posts there are. Measured on the fixture, a keyset walk and the check's
// own reads (the feed it compares with, its counts, its OFFSET timing)
// come to 5.0 to 5.4 rows per post; a walk with OFFSET, which skips every
// post before its page, to 8.7 to 10.3, though the check stops it at page
// 10,000. Fewer timing samples on a busy machine only lower both.
func readsFact(ctx context.Context, conn *pgx.Conn, during witness.TableStats) (witness.Fact, error) {
	var posts int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM posts`).Scan(&posts); err != nil {
		return witness.Fact{}, fmt.Errorf("count the posts: %w", err)
	}
	read := during.RowsRead()
	perPost := float64(read) / float64(max(posts, 1))
	seen := fmt.Sprintf("while the check ran, Postgres handed out %s rows of posts, %.1f per post of the feed",
		checker.FormatCount(read), perPost)
	return witness.Holds("database: rows read fit a keyset walk", read <= maxReadsPerPost*posts,
		fmt.Sprintf("%s (at most %d, the check's own reads among them)", seen, maxReadsPerPost),
		fmt.Sprintf("%s; a keyset walk and the check's own reads stay near 5, at most %d. Pages that skip every post before them, as OFFSET's do, read this much",
			seen, maxReadsPerPost)), nil
}

// firstPageFact plans the first page: an index hands the posts over in
// the feed's order, so there is neither a Seq Scan nor a Sort.
func firstPageFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	plan, err := checker.Explain(ctx, conn, firstPage, pageSize)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("plan the first page: %w", err)
	}
	problems := orderProblems(plan)
	return witness.Holds("database: an index serves the first page", len(problems) == 0,
		fmt.Sprintf("planned by dblings after the check, the first page reads %s in the feed's order, no Sort",
			strings.Join(plan.IndexesUsed(), ", ")),
		fmt.Sprintf("planned by dblings after the check, the first page is not served by an index in the feed's order (created_at, id): %s",
			strings.Join(problems, ", "))), nil
}

// deepPageFact plans page 10,000 the keyset way, from the position where
// it starts: the scan must begin there and read about one page.
func deepPageFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	var at time.Time
	var id int64
	if err := conn.QueryRow(ctx, deepPosition, (deepPage-1)*pageSize-1).Scan(&at, &id); err != nil {
		return witness.Fact{}, fmt.Errorf("find where page %d starts: %w", deepPage, err)
	}
	plan, err := checker.Explain(ctx, conn, nextPage, at, id, pageSize)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("plan page %d: %w", deepPage, err)
	}
	problems := orderProblems(plan)
	rows := plan.RowsScanned("posts")
	if rows > maxRowsRead {
		problems = append(problems, fmt.Sprintf("it reads %s rows to return %d", checker.FormatCount(rows), pageSize))
	}
	return witness.Holds("database: page 10,000 reads only its own rows", len(problems) == 0,
		fmt.Sprintf("planned by dblings after the check, page 10,000 after post %d reads %s rows (at most %d) from %s, no Sort",
			id, checker.FormatCount(rows), maxRowsRead, strings.Join(plan.IndexesUsed(), ", ")),
		fmt.Sprintf("planned by dblings after the check with a keyset query, page 10,000 is not served by an index in the feed's order (created_at, id): %s",
			strings.Join(problems, ", "))), nil
}

// orderProblems says what keeps a page's plan from following an index.
func orderProblems(plan *checker.Plan) []string {
	var problems []string
	if len(plan.SeqScans("posts")) > 0 {
		problems = append(problems, "a Seq Scan reads all of posts")
	}
	if plan.HasSort() {
		problems = append(problems, "a Sort orders the posts")
	}
	return problems
}
