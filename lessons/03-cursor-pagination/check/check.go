// Package check is lesson 3's check: it walks the learner's feed page by
// page to page 10,000 and on to its end, plans and times the deep page
// against OFFSET, feeds it cursors it never issued, and walks it again
// while new posts arrive. It lives in a package of its own, compiled once
// and cached, and the exercise's check_test.go hands it the learner's
// work: an edit then recompiles only the learner's file and that small
// shim.
package check

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// The long walk takes many small pages first, so that many page breaks
// fall inside a second shared by several posts, then big pages to get deep
// fast. The sizes before page deepIndex add up to 9,999 pages of 20, so
// page deepIndex, of 20 posts, is page 10,000 of a feed at 20 a page. Big
// pages then take the walk to the end of the feed.
const (
	pageSize   = 20
	deepPage   = 10_000
	smallPages = 200
	smallSize  = 99
	bigPages   = 18
	bigSize    = 10_010
	deepIndex  = smallPages + bigPages + 1
	deepOffset = (deepPage - 1) * pageSize
)

// A keyset page reads about its own rows and OFFSET 199,980 reads two
// hundred thousand, so these bounds leave a loaded machine lots of room.
// The rows read decide between keyset and OFFSET; the timing only shows
// what that is worth, and at 20× it failed right answers (17.6×) on a
// 2-core machine under a load of 9.
const (
	maxRowsRead = 10 * pageSize
	minSpeedup  = 5
)

// offsetQuery is the feed's page 10,000 the OFFSET way, the baseline.
const offsetQuery = `SELECT id, author_id, title, created_at
FROM posts
ORDER BY created_at DESC, id DESC
LIMIT $1 OFFSET $2`

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// Migrate is the learner's migration.
	Migrate func(context.Context, *pgxpool.Pool) error
	// Feed is the learner's Feed, its Page converted to the check's.
	Feed func(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error)
	// ErrInvalidCursor is the exercise's ErrInvalidCursor.
	ErrInvalidCursor error
}

// Post is the exercise's Post, field for field, so that the shim converts
// one into the other.
type Post struct {
	ID        int64
	AuthorID  int64
	Title     string
	CreatedAt time.Time
}

// Page is the exercise's Page, with the check's Post.
type Page struct {
	Posts []Post
	// Next is the cursor of the following page, "" when there is none.
	Next string
}

// Run is the check of lesson 3.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t)
	c.RequireNoError("your migration runs", ex.Migrate(c.Ctx(), c.Pool()))
	requireIndexedFirstPage(c, ex)

	w := newWalk(c, ex)
	walkUntil(w, deepIndex)
	c.Require("walk to page 10,000", w.err == nil, walkText(w), checker.Evidence{})
	deepIsCheap := assertIndexServesDeepPage(c, w.deepQuery)
	assertOneOrder(c, w.deepQuery)
	assertFasterThanOffset(c, ex, w.deepCursor)
	// A page that reads everything before it makes the rest of the walk
	// take minutes; the first 10,000 pages are then proof enough.
	if deepIsCheap {
		walkUntil(w, w.maxPages)
	}
	assertEveryPostOnce(c, w)

	assertBadCursorsRefused(c, ex, w.firstNext)
	assertNewPostsWhilePaging(c, ex)
}

// requireIndexedFirstPage stops the check early when even the first page
// sorts the table: every later step would take minutes.
func requireIndexedFirstPage(c *checker.Check, ex Exercise) {
	c.QueryLog().Reset()
	_, err := ex.feed(c.Ctx(), c.Pool(), "", pageSize)
	c.RequireNoError("the first page", err)
	plan := explainPageQuery(c, "the first page")
	ev := checker.Evidence{Plan: plan, Queries: checker.Statements(c.QueryLog().Queries())}
	msg := fmt.Sprintf("the first page comes straight from an index (%s), no Sort, %s buffers",
		strings.Join(plan.IndexesUsed(), ", "), checker.FormatCount(plan.TotalBuffers()))
	ok := !plan.HasSort() && len(plan.SeqScans("posts")) == 0
	if !ok {
		msg = "the first page: " + sortDiagnosis(plan) + "; every page would do the same, so the check stops here"
	}
	c.Require("an index serves the first page", ok, msg, ev)
}

// sortDiagnosis says why a page plan sorts, in the learner's terms.
func sortDiagnosis(plan *checker.Plan) string {
	if scans := plan.SeqScans("posts"); len(scans) > 0 {
		return fmt.Sprintf("Postgres reads the whole posts table (%s) and sorts it to keep one page. In Migrate, create an index that holds the posts in the feed's order: created_at, then id",
			scans[0].NodeType)
	}
	sorts := append(plan.Find("Sort"), plan.Find("Incremental Sort")...)
	if len(sorts) == 0 {
		return "the plan sorts"
	}
	return fmt.Sprintf("the plan still sorts (%s by %s) above %s: the index gives the order of the seconds but not of the posts within one second; put id in the index after created_at",
		sorts[0].NodeType, strings.Join(sorts[0].SortKey, ", "), strings.Join(plan.IndexesUsed(), ", "))
}

// walker follows the cursors of the feed and keeps the ids it saw.
type walker struct {
	c      *checker.Check
	ex     Exercise
	left   int // posts the feed has not shown yet
	asked  int // posts asked for: how many the pages should have held
	ids    []int64
	ends   []int // len(ids) after each page
	cursor string
}

// next fetches the following page of size posts and checks its shape.
func (w *walker) next(size int) (Page, error) {
	n := len(w.ends) + 1
	page, err := w.ex.feed(w.c.Ctx(), w.c.Pool(), w.cursor, size)
	if err != nil && w.left <= 0 {
		return page, fmt.Errorf("page %d, asked for with the Next cursor of the last page, when the feed had ended: %s; an empty page with no Next would tell the reader it is over", n, describe(err))
	}
	if err != nil {
		return page, fmt.Errorf("page %d: %s", n, describe(err))
	}
	w.asked += size
	if err := checkShape(page, n, size, w.left, w.cursor); err != nil {
		return page, err
	}
	for _, p := range page.Posts {
		w.ids = append(w.ids, p.ID)
	}
	w.ends = append(w.ends, len(w.ids))
	w.left -= len(page.Posts)
	w.cursor = page.Next
	return page, nil
}

// checkShape catches a page that cannot be right whatever its posts: more
// than the limit, a short page that claims more follow, or no way on or no
// way to the end. Posts lost or repeated are compareFeed's business.
func checkShape(page Page, n, size, left int, cursor string) error {
	got := len(page.Posts)
	switch {
	case got > size:
		return fmt.Errorf("page %d held %s posts, more than the limit of %s", n, count(got), count(size))
	case got == 0 && page.Next != "":
		return fmt.Errorf("page %d was empty, the feed had ended, yet it came with a Next cursor: a reader would never see the end", n)
	case page.Next != "" && page.Next == cursor:
		return fmt.Errorf("page %d returned the very cursor it was given: a reader would get the same page forever", n)
	case got < size && page.Next != "" && left > got:
		return fmt.Errorf("page %d held %s posts, fewer than the limit of %s, although %s more were still to come: fill every page but the last",
			n, count(got), count(size), count(left-got))
	}
	return nil
}

// walked is what the long walk saw and kept for later steps.
type walked struct {
	*walker
	firstNext  string // the cursor after page 1, a real one to tamper with
	deepCursor string // the cursor that opens page 10,000
	deepQuery  checker.Query
	maxPages   int
	err        error // what stopped the walk
}

func newWalk(c *checker.Check, ex Exercise) *walked {
	var total int
	c.RequireNoError("count the posts", c.Admin().QueryRow(c.Ctx(), `SELECT count(*) FROM posts`).Scan(&total))
	w := &walked{walker: &walker{c: c, ex: ex, left: total}}
	// Enough pages for the whole feed, and one more for an empty last page.
	w.maxPages = deepIndex + (total-deepPage*pageSize)/bigSize + 2
	return w
}

// walkUntil follows the feed up to page last, or to its end.
func walkUntil(w *walked, last int) {
	for n := len(w.ends) + 1; n <= last && w.err == nil && (n == 1 || w.cursor != ""); n++ {
		if n == deepIndex {
			w.deepCursor = w.cursor
			w.c.QueryLog().Reset()
		}
		if _, w.err = w.next(sizeOf(n)); w.err != nil {
			return
		}
		if n == 1 {
			w.firstNext = w.cursor
		}
		if n == deepIndex {
			w.deepQuery = requirePageQuery(w.c, "page 10,000")
		}
	}
	switch {
	case w.err == nil && w.cursor == "" && len(w.ends) < min(last, deepIndex):
		w.err = fmt.Errorf("page %d came back without a Next cursor, after %s posts, but the feed has %s: a reader could not go on",
			len(w.ends), count(len(w.ids)), count(len(w.ids)+w.left))
	case w.cursor != "" && len(w.ends) >= w.maxPages:
		w.err = fmt.Errorf("the feed did not end after %d pages", w.maxPages)
	}
}

func sizeOf(n int) int {
	switch {
	case n <= smallPages:
		return smallSize
	case n == deepIndex:
		return pageSize
	}
	return bigSize
}

func assertEveryPostOnce(c *checker.Check, w *walked) {
	c.Require("walk the whole feed", w.err == nil, walkText(w), checker.Evidence{})
	want := reference(c, w.asked)
	problem := compareFeed(w.ids, w.ends, want)
	what := "all " + count(len(want)) + " posts"
	if w.cursor != "" {
		what = "the newest " + count(len(want)) + " posts (the rest of the walk would take minutes at this speed)"
	}
	msg := fmt.Sprintf("walked %s over %d pages, newest first: each once, in order, across %d page breaks that fell between two posts of the same second",
		what, len(w.ends), tiedBreaks(w.ends, want))
	if problem != "" {
		msg = problem
	}
	counts := map[string]int64{"posts": int64(len(w.ids)), "pages": int64(len(w.ends))}
	c.Assert("every post once, in order", problem == "", msg, checker.Evidence{Counts: counts})
}

func walkText(w *walked) string {
	if w.err != nil {
		return w.err.Error()
	}
	return fmt.Sprintf("%d pages, each full while posts remained, each with a cursor to the next", len(w.ends))
}

// tiedBreaks counts the page breaks that split a second: the places where
// a cursor on the timestamp alone loses posts.
func tiedBreaks(ends []int, want []refPost) int {
	n := 0
	for _, end := range ends {
		if end < len(want) && want[end].CreatedAt.Equal(want[end-1].CreatedAt) {
			n++
		}
	}
	return n
}

func assertIndexServesDeepPage(c *checker.Check, q checker.Query) bool {
	plan, err := checker.ExplainQuery(c.Ctx(), c.Admin(), q)
	c.RequireNoError("plan page 10,000", err)
	offset, err := checker.Explain(c.Ctx(), c.Admin(), offsetQuery, pageSize, deepOffset)
	c.RequireNoError("plan page 10,000 with OFFSET", err)
	ev := checker.Evidence{PlanBefore: offset, PlanAfter: plan, Queries: checker.Statements([]checker.Query{q})}

	ordered := !plan.HasSort() && len(plan.SeqScans("posts")) == 0
	msg := "page 10,000 comes from an index in the feed's order: no Sort"
	if !ordered {
		msg = "page 10,000: " + sortDiagnosis(plan)
	}
	c.Assert("an index serves page 10,000", ordered, msg, ev)

	rows, buffers := plan.RowsScanned("posts"), plan.TotalBuffers()
	ev.Counts = map[string]int64{
		"rows_read": rows, "buffers": buffers,
		"offset_rows_read": offset.RowsScanned("posts"), "offset_buffers": offset.TotalBuffers(),
	}
	msg = fmt.Sprintf("page 10,000 read %s rows and %s buffers; OFFSET %s reads %s rows and %s buffers",
		checker.FormatCount(rows), checker.FormatCount(buffers), checker.FormatCount(deepOffset),
		checker.FormatCount(offset.RowsScanned("posts")), checker.FormatCount(offset.TotalBuffers()))
	if rows > maxRowsRead {
		msg = fmt.Sprintf("page 10,000 read %s rows (%s buffers) to return %d: %s",
			checker.FormatCount(rows), checker.FormatCount(buffers), pageSize, readDiagnosis(plan, q.SQL))
	}
	return c.Assert("page 10,000 reads only its own rows", rows <= maxRowsRead, msg, ev)
}

var offsetWord = regexp.MustCompile(`(?i)\boffset\b`)

// readDiagnosis explains why a deep page reads everything before it.
func readDiagnosis(plan *checker.Plan, sql string) string {
	if offsetWord.MatchString(sql) {
		return "OFFSET makes Postgres walk past every post before the page and throw it away, so each page is slower than the one before; start the scan at the cursor's position instead, with WHERE"
	}
	var removed int64
	for _, n := range plan.Nodes() {
		removed += n.RowsRemoved()
	}
	if removed > 0 {
		return fmt.Sprintf("the scan starts at the newest post and a Filter throws %s rows away, because Postgres cannot turn your WHERE into a starting point in the index. Write it as a row comparison, (created_at, id) < ($1, $2), or add created_at <= $1 so the index can bound the scan",
			checker.FormatCount(removed))
	}
	return "it should start at the cursor's position in the index and stop after one page"
}

// assertOneOrder plans the page with index scans switched off, so that
// Postgres must sort, and reads the ORDER BY off the Sort node. With the
// index on, a query without a tiebreak can still come out right by luck of
// the plan; the sort keys show what the query itself promises.
func assertOneOrder(c *checker.Check, q checker.Query) {
	plan, err := explainWithoutIndexes(c, q)
	c.RequireNoError("plan page 10,000 without indexes", err)
	keys := sortKeys(plan)
	want := []string{"created_at DESC", "id DESC"}
	ok := len(keys) >= 2 && keys[0] == want[0] && keys[1] == want[1]
	msg := "the query orders by created_at DESC, id DESC: one order, whatever plan Postgres picks"
	switch {
	case len(keys) == 0:
		msg = "the page's query has no ORDER BY: without one, Postgres promises no order at all; order by created_at DESC, id DESC"
	case keys[0] != want[0]:
		msg = fmt.Sprintf("the page's query orders by %s; expected created_at DESC, id DESC. The feed is newest first by publication time, and ids need not follow it: imported and scheduled posts get their id when they are written",
			strings.Join(keys, ", "))
	case !ok:
		msg = fmt.Sprintf("the page's query orders by %s; expected created_at DESC, id DESC. Posts of the same second need the id as a tiebreak, or their order (and so where a page ends) is up to the plan",
			strings.Join(keys, ", "))
	}
	c.Assert("the ORDER BY defines one order", ok, msg, checker.Evidence{Plan: plan})
}

func explainWithoutIndexes(c *checker.Check, q checker.Query) (*checker.Plan, error) {
	tx, err := c.Admin().Begin(c.Ctx())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(c.Ctx())
	for _, s := range []string{"enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"} {
		if _, err := tx.Exec(c.Ctx(), "SET LOCAL "+s+" = off"); err != nil {
			return nil, err
		}
	}
	return checker.ExplainQuery(c.Ctx(), tx, q)
}

// sortKeys returns the keys of the plan's first Sort without their table
// prefix ("posts.id DESC" → "id DESC").
func sortKeys(plan *checker.Plan) []string {
	sorts := plan.Find("Sort")
	if len(sorts) == 0 {
		return nil
	}
	var keys []string
	for _, k := range sorts[0].SortKey {
		if dot := strings.Index(k, "."); dot >= 0 && !strings.ContainsAny(k[:dot], " (") {
			k = k[dot+1:]
		}
		keys = append(keys, k)
	}
	return keys
}

func assertFasterThanOffset(c *checker.Check, ex Exercise, cursor string) {
	if !c.Timeable("page 10,000 faster than OFFSET") {
		return
	}
	withOffset := func(ctx context.Context) error {
		rows, err := c.Admin().Query(ctx, offsetQuery, pageSize, deepOffset)
		if err != nil {
			return err
		}
		rows.Close()
		return rows.Err()
	}
	withCursor := func(ctx context.Context) error {
		_, err := ex.Feed(ctx, c.Pool(), cursor, pageSize)
		return err
	}
	timing, err := checker.Compare(c.Ctx(), withOffset, withCursor,
		checker.WithLabels("OFFSET "+checker.FormatCount(deepOffset), "your cursor"))
	c.RequireNoError("time page 10,000", err)
	ok := timing.Ratio >= minSpeedup
	msg := fmt.Sprintf("page 10,000 came %.0f× faster than with OFFSET (%s)", timing.Ratio, timing)
	if !ok {
		msg = fmt.Sprintf("page 10,000 took %.1f ms with your cursor and %.1f ms with OFFSET, a ratio of %.1f× (%s); expected at least %d× faster: with a keyset cursor page 10,000 costs what page 1 costs",
			timing.CandidateMedianMS, timing.BaselineMedianMS, timing.Ratio, timing, minSpeedup)
	}
	c.Assert("page 10,000 faster than OFFSET", ok, msg, checker.Evidence{Timing: &timing})
}

// badCursor is a cursor Feed never issued.
type badCursor struct{ what, cursor string }

func assertBadCursorsRefused(c *checker.Check, ex Exercise, issued string) {
	garbage := []badCursor{
		{"random text", "not a cursor!"},
		{"base64 of other text", base64.StdEncoding.EncodeToString([]byte("page=2&sort=new"))},
		{"half of a real cursor", issued[:max(1, len(issued)/2)]},
		{"a real cursor with text added", issued + "AAAA"},
	}
	assertRefused(c, ex, "a garbage cursor is refused", garbage, issued)
	assertRefused(c, ex, "an edited cursor is refused", edits(issued), issued)
}

// edits changes one letter or digit of a real cursor at a time, at up to
// a dozen places along it, keeping to the same kind of character so that
// the result still decodes as often as it can.
func edits(issued string) []badCursor {
	var places []int
	for i, r := range issued {
		if isAlnum(byte(r)) {
			places = append(places, i)
		}
	}
	step := max(1, len(places)/12)
	var out []badCursor
	for j := 0; j < len(places); j += step {
		i := places[j]
		b := []byte(issued)
		b[i] = nextAlnum(b[i])
		out = append(out, badCursor{fmt.Sprintf("character %d changed from %q to %q", i+1, issued[i], b[i]), string(b)})
	}
	return out
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func nextAlnum(b byte) byte {
	switch b {
	case 'z':
		return 'a'
	case 'Z':
		return 'A'
	case '9':
		return '0'
	}
	return b + 1
}

// assertRefused feeds each bad cursor and requires ErrInvalidCursor. An
// edit that lands on the same page as the real cursor is let go: some
// encodings ignore a few bits, and the position it decodes to was issued.
func assertRefused(c *checker.Check, ex Exercise, name string, bad []badCursor, issued string) {
	same, err := ex.feed(c.Ctx(), c.Pool(), issued, pageSize)
	c.RequireNoError("the page of a real cursor", err)
	var problems []string
	for _, b := range bad {
		page, err := ex.feed(c.Ctx(), c.Pool(), b.cursor, pageSize)
		if p := refusalProblem(page, err, same, ex.ErrInvalidCursor); p != "" {
			problems = append(problems, fmt.Sprintf("%s (%q): %s", b.what, b.cursor, p))
		}
	}
	msg := fmt.Sprintf("%d cursors Feed never issued were refused with ErrInvalidCursor", len(bad))
	if len(problems) > 0 {
		msg = fmt.Sprintf("%d of %d cursors Feed never issued were not refused with ErrInvalidCursor; %s. A reader can send anything: decode carefully, and sign the cursor (a checksum or an HMAC) so that Feed accepts only positions it handed out",
			len(problems), len(bad), strings.Join(first(problems, 3), "; "))
	}
	c.Assert(name, len(problems) == 0, msg, checker.Evidence{Details: map[string]any{"problems": problems}})
}

func refusalProblem(page Page, err error, same Page, errInvalidCursor error) string {
	var panicked *checker.PanicError
	switch {
	case errors.As(err, &panicked):
		return describe(err)
	case errors.Is(err, errInvalidCursor):
		return ""
	case checker.SQLState(err) != "":
		return fmt.Sprintf("the bad value reached Postgres, which answered %v; check the cursor before any query", err)
	case err != nil:
		return fmt.Sprintf("an error that does not wrap ErrInvalidCursor: %v", err)
	case samePosts(page, same):
		return ""
	}
	return fmt.Sprintf("accepted, and returned %d posts from a position nobody was given", len(page.Posts))
}

func samePosts(a, b Page) bool {
	if len(a.Posts) != len(b.Posts) {
		return false
	}
	for i := range a.Posts {
		if a.Posts[i].ID != b.Posts[i].ID {
			return false
		}
	}
	return true
}

// The posts the check adds for the last walk. They are newer than every
// post of the fixture, several share a second a few microseconds apart or
// exactly, and their ids do not follow their times, as happens with posts
// imported or scheduled.
const (
	freshPosts   = 40
	walkPages    = 10
	arrivalBatch = 3
	freshAuthor  = 7
)

// arrivals are the pages after which new posts arrive during the walk.
var arrivals = map[int]bool{1: true, 2: true, 4: true}

func assertNewPostsWhilePaging(c *checker.Check, ex Exercise) {
	ctx := c.Ctx()
	maxID, newest := tableEnd(c)
	base := newest.Add(time.Hour).Truncate(time.Second)
	fresh := make([]refPost, freshPosts)
	for k := range fresh {
		fresh[k] = refPost{ID: maxID + 1 + int64(k*7%freshPosts), CreatedAt: freshTime(base, k)}
	}
	c.RequireNoError("add posts with microseconds", insertPosts(c, fresh))
	want := reference(c, walkPages*pageSize)

	var total int
	c.RequireNoError("count the posts", c.Admin().QueryRow(ctx, `SELECT count(*) FROM posts`).Scan(&total))
	w := &walker{c: c, ex: ex, left: total}
	nextID := maxID + freshPosts + 1
	for n := 1; n <= walkPages; n++ {
		_, err := w.next(pageSize)
		c.RequireNoError(fmt.Sprintf("page %d while posts arrive", n), err)
		if arrivals[n] {
			c.RequireNoError("add new posts", insertPosts(c, arriving(nextID, base, n)))
			nextID += arrivalBatch
		}
	}
	problem := compareFeed(w.ids, w.ends, want[:min(len(want), w.asked)])
	msg := fmt.Sprintf("walked %d pages while %d new posts arrived, over posts whose times have microseconds and whose ids are out of time order: no post repeated, none skipped, the order kept",
		walkPages, arrivalBatch*len(arrivals))
	if problem != "" {
		msg = problem
	}
	c.Assert("no repeat or skip while new posts arrive", problem == "", msg, checker.Evidence{})
}

// freshTime puts posts three to a second, microseconds apart within one
// millisecond (a cursor that rounds to seconds or milliseconds loses some),
// except one second whose three posts share the same instant exactly.
func freshTime(base time.Time, k int) time.Time {
	second := base.Add(time.Duration(k/3) * time.Second)
	micros := 750_001 + k%3
	if k/3 == 5 {
		micros = 750_002
	}
	return second.Add(time.Duration(micros) * time.Microsecond)
}

// arriving are posts published after page n: newer than everything.
func arriving(firstID int64, base time.Time, n int) []refPost {
	out := make([]refPost, arrivalBatch)
	for i := range out {
		at := base.Add(24*time.Hour + time.Duration(n)*time.Minute + time.Duration(i)*time.Second + 123_456*time.Microsecond)
		out[i] = refPost{ID: firstID + int64(i), CreatedAt: at}
	}
	return out
}

func tableEnd(c *checker.Check) (maxID int64, newest time.Time) {
	err := c.Admin().QueryRow(c.Ctx(), `SELECT max(id), max(created_at) FROM posts`).Scan(&maxID, &newest)
	c.RequireNoError("read the newest post", err)
	return maxID, newest
}

func insertPosts(c *checker.Check, posts []refPost) error {
	rows := make([][]any, len(posts))
	for i, p := range posts {
		rows[i] = []any{p.ID, int64(freshAuthor), fmt.Sprintf("Fresh post %d", p.ID), "Hot off the press.", p.CreatedAt}
	}
	_, err := c.Admin().CopyFrom(c.Ctx(), pgx.Identifier{"posts"},
		[]string{"id", "author_id", "title", "body", "created_at"}, pgx.CopyFromRows(rows))
	return err
}

// refPost is a post as the check expects to see it.
type refPost struct {
	ID        int64
	CreatedAt time.Time
}

// reference reads the first n posts of the feed the way the check knows
// to be right.
func reference(c *checker.Check, n int) []refPost {
	rows, err := c.Admin().Query(c.Ctx(), `SELECT id, created_at FROM posts ORDER BY created_at DESC, id DESC LIMIT $1`, n)
	c.RequireNoError("read the expected feed", err)
	want, err := pgx.CollectRows(rows, pgx.RowToStructByPos[refPost])
	c.RequireNoError("read the expected feed", err)
	return want
}

// compareFeed says what is wrong with a walk: posts missing, repeated or
// out of order, with the page where it happened; "" when it is right.
func compareFeed(got []int64, ends []int, want []refPost) string {
	if sameIDs(got, want) {
		return ""
	}
	seen := make(map[int64]int, len(got))
	for i, id := range got {
		if first, dup := seen[id]; dup {
			return duplicateMessage(id, first, i, ends, want)
		}
		seen[id] = i
	}
	if msg := missingMessage(want, seen, ends); msg != "" {
		return msg
	}
	for i := range got {
		if i >= len(want) || got[i] != want[i].ID {
			return orderMessage(got, ends, want, i)
		}
	}
	return ""
}

func duplicateMessage(id int64, first, again int, ends []int, want []refPost) string {
	msg := fmt.Sprintf("post %d (created %s) appeared twice, on page %d and again on page %d",
		id, stamp(timeOf(want, id)), pageOf(ends, first), pageOf(ends, again))
	if isPageEnd(ends, first) && again == first+1 {
		return msg + ": it ended one page and opened the next. The cursor's comparison must be strict: after the last post shown, not from it"
	}
	return msg + ". A cursor must point strictly after the last post shown, so that posts added above it cannot push others across a page break (as they do with an OFFSET)"
}

func isPageEnd(ends []int, i int) bool {
	for _, end := range ends {
		if end == i+1 {
			return true
		}
	}
	return false
}

func sameIDs(got []int64, want []refPost) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i].ID {
			return false
		}
	}
	return true
}

func missingMessage(want []refPost, seen map[int64]int, ends []int) string {
	missing, firstMissing := 0, -1
	for i, p := range want {
		if _, ok := seen[p.ID]; !ok {
			missing++
			if firstMissing < 0 {
				firstMissing = i
			}
		}
	}
	if missing == 0 {
		return ""
	}
	i, p := firstMissing, want[firstMissing]
	msg := fmt.Sprintf("%s of %s posts never appeared; the first is post %d, created %s",
		count(missing), count(len(want)), p.ID, stamp(p.CreatedAt))
	if i == 0 {
		return msg
	}
	prev := want[i-1]
	before, shown := seen[prev.ID]
	if !shown || !prev.CreatedAt.Truncate(time.Second).Equal(p.CreatedAt.Truncate(time.Second)) {
		return msg
	}
	msg += fmt.Sprintf(", in the same second as post %d, shown just before it on page %d", prev.ID, pageOf(ends, before))
	if prev.CreatedAt.Equal(p.CreatedAt) {
		return msg + ". A cursor on created_at alone skips the rest of a second when a page ends inside it: put the id in the cursor and compare (created_at, id)"
	}
	return msg + fmt.Sprintf(", only %s earlier. A cursor that rounds the time to seconds or milliseconds jumps over such posts: keep every microsecond Postgres stores",
		prev.CreatedAt.Sub(p.CreatedAt))
}

func orderMessage(got []int64, ends []int, want []refPost, i int) string {
	if i >= len(want) {
		return fmt.Sprintf("post %d on page %d is one post too many", got[i], pageOf(ends, i))
	}
	return fmt.Sprintf("out of order on page %d: post %d (created %s) came where post %d (created %s) belongs. The feed is newest first, and posts of the same instant go highest id first",
		pageOf(ends, i), got[i], stamp(timeOf(want, got[i])), want[i].ID, stamp(want[i].CreatedAt))
}

// timeOf finds a post's time in the expected feed, for messages only.
func timeOf(want []refPost, id int64) time.Time {
	for _, p := range want {
		if p.ID == id {
			return p.CreatedAt
		}
	}
	return time.Time{}
}

// pageOf returns the 1-based page holding post index i of a walk.
func pageOf(ends []int, i int) int {
	for n, end := range ends {
		if i < end {
			return n + 1
		}
	}
	return len(ends)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.999999") }

// feed calls the learner's Feed; RunConcurrently with one goroutine turns
// a panic into an error that names the learner's line.
func (ex Exercise) feed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error) {
	var page Page
	out := checker.RunConcurrently(ctx, 1, func(ctx context.Context, _ int) error {
		var err error
		page, err = ex.Feed(ctx, db, cursor, limit)
		return err
	})
	if len(out.Stuck) > 0 {
		return Page{}, errors.New("Feed did not return within 30 seconds")
	}
	if len(out.Errors) == 0 {
		return page, nil
	}
	var g *checker.GoroutineError
	if errors.As(out.Errors[0], &g) {
		return page, g.Err
	}
	return page, out.Errors[0]
}

// checkFrame begins the frames of this file as checker names them, by
// folder and file.
var checkFrame = filepath.Join("check", "check.go") + ":"

// panicText gives the panic value and the learner's lines, leaving out
// the check's own frames: the shim's, and this file's.
func panicText(p *checker.PanicError) string {
	var where []string
	for _, w := range p.Where {
		if !strings.Contains(w, "_test.go:") && !strings.HasPrefix(w, checkFrame) {
			where = append(where, w)
		}
	}
	if len(where) == 0 {
		return fmt.Sprint(p.Value)
	}
	return fmt.Sprintf("%v (at %s)", p.Value, strings.Join(where, " <- "))
}

// requirePageQuery finds the statement that fetched the page: the last one
// with an ORDER BY, since Feed may also have looked a post up.
func requirePageQuery(c *checker.Check, what string) checker.Query {
	qs := c.QueryLog().Queries(checker.SQLMatches(`\border\s+by\b`))
	msg := what + ": Feed sent no query with an ORDER BY; without one Postgres promises no order at all"
	if len(qs) > 0 {
		msg = what + " came from: " + checker.OneLine(qs[len(qs)-1].SQL)
	}
	c.Require("find the query of "+what, len(qs) > 0, msg,
		checker.Evidence{Queries: checker.Statements(c.QueryLog().Queries())})
	return qs[len(qs)-1]
}

func explainPageQuery(c *checker.Check, what string) *checker.Plan {
	plan, err := checker.ExplainQuery(c.Ctx(), c.Admin(), requirePageQuery(c, what))
	c.RequireNoError("plan "+what, err)
	return plan
}

// describe turns an error of Feed into text, a panic with its line.
func describe(err error) string {
	var panicked *checker.PanicError
	if errors.As(err, &panicked) {
		return "Feed panicked: " + panicText(panicked)
	}
	return err.Error()
}

func count(n int) string { return checker.FormatCount(int64(n)) }

func first(s []string, n int) []string { return s[:min(n, len(s))] }
