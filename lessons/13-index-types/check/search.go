package check

import (
	"context"
	"fmt"
	"slices"

	"github.com/dblings/dblings/checker"
)

// fullText are the access methods that can answer @@ (or, with pg_trgm,
// ILIKE '%…%') from an index.
var fullText = []string{"gin", "gist"}

// checkSearch runs two searches (the rarest topic, and that topic with
// another word) and plans what Search sent.
func checkSearch(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	var gotRare, gotPair []int64
	var errRare, errPair error
	s := record(c, ctx, "articles", func() {
		gotRare, errRare = ex.Search(ctx, c.Pool(), f.rare)
		gotPair, errPair = ex.Search(ctx, c.Pool(), f.pair)
	})
	ok := errRare == nil && errPair == nil && slices.Equal(gotRare, f.wantRare) && slices.Equal(gotPair, f.wantPair)
	msg := fmt.Sprintf("Search(%q) found the %d articles that hold the word, and Search(%q) the %d that hold both, in id order",
		f.rare, len(f.wantRare), f.pair, len(f.wantPair))
	if !ok {
		msg = fmt.Sprintf("Search(%q) returned %d articles (%v), Search(%q) %d (%v); English full text finds %d and %d, in id order (first ids: %v)",
			f.rare, len(gotRare), errRare, f.pair, len(gotPair), errPair, len(f.wantRare), len(f.wantPair), head(f.wantPair))
	}
	c.Assert("search finds the matching articles", ok, msg, checker.Evidence{
		Counts: map[string]int64{"want_rare": int64(len(f.wantRare)), "got_rare": int64(len(gotRare)),
			"want_pair": int64(len(f.wantPair)), "got_pair": int64(len(gotPair))}})
	assertSearchIndex(c, ctx, s)
}

func assertSearchIndex(c *checker.Check, ctx context.Context, s sent) {
	used := s.indexes(c, ctx)
	textIndex := slices.ContainsFunc(used, func(i checker.Index) bool { return slices.Contains(fullText, i.Method) })
	scan := s.seqScan()
	ok := len(s.plans) > 0 && scan == nil && textIndex
	msg := fmt.Sprintf("%s: a Bitmap Index Scan on %s finds the articles from the words", s.sqlOf(), defs(used))
	switch {
	case len(s.plans) == 0:
		msg = noStatement("Search", "articles")
	case scan != nil:
		msg = searchScanMessage(c, ctx, s, scan)
	case !textIndex:
		msg = fmt.Sprintf("%s reads %s; expected a GIN index over the words of the body", s.sqlOf(), defs(used))
	}
	c.Assert("search uses a full-text index", ok, msg, s.evidence())
}

// searchScanMessage tells the two ways to end in a Seq Scan apart: no
// full-text index at all, or one the query does not match.
func searchScanMessage(c *checker.Check, ctx context.Context, s sent, scan *checker.Plan) string {
	all, err := checker.Indexes(ctx, c.Admin(), "articles")
	c.RequireNoError("read the indexes of articles", err)
	var text []checker.Index
	for _, i := range all {
		if slices.Contains(fullText, i.Method) {
			text = append(text, i)
		}
	}
	if len(text) > 0 {
		return fmt.Sprintf("%s is a Seq Scan on articles that removed %s rows, although articles has %s: the query does not match the index. Postgres uses it only for the indexed column, or the very expression the index was built on, config included (to_tsvector('english', body), not to_tsvector(body))",
			s.sqlOf(), removed(scan), defs(text))
	}
	return fmt.Sprintf("%s is a Seq Scan on articles that removed %s rows: no index can answer ILIKE '%%…%%' or a to_tsvector computed on the fly. Store the words as a tsvector and index them with GIN, then query with @@",
		s.sqlOf(), removed(scan))
}

func head(ids []int64) []int64 {
	return ids[:min(len(ids), 5)]
}
