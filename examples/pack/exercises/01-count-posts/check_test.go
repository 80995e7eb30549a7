//go:build dblings

package countposts

import (
	"fmt"
	"testing"

	"github.com/dblings/dblings/checker"
)

// countQuery is the check's own copy of the query that finds the truth (a
// check never relies on SQL the learner can change); counted says in words
// what it counts.
const (
	countQuery = `SELECT count(*) FROM posts`
	counted    = "rows in posts"
)

// TestCountPosts: the count must be right, and it must come in one round
// trip; the count weighs three times the round trip in grade's points.
func TestCountPosts(t *testing.T) {
	c := checker.New(t, checker.WithWeights(checker.Weights{"the count is right": 3}))
	ctx := c.Ctx()

	var want int64
	c.RequireNoError("count the "+counted, c.Admin().QueryRow(ctx, countQuery).Scan(&want))

	got, err := CountRows(ctx, c.Pool())
	c.RequireNoError("CountRows runs", err)

	assertCount(c, got, want)
	assertOneRoundTrip(c)
}

// assertCount compares the learner's number with the one the check read
// from the same database.
func assertCount(c *checker.Check, got, want int64) {
	msg := fmt.Sprintf("CountRows returned %s, the number of %s", checker.FormatCount(got), counted)
	if got != want {
		msg = fmt.Sprintf("CountRows returned %s, but the check counted %s %s on the same database: "+
			"the number has to come from the data, so ask the database for it",
			checker.FormatCount(got), checker.FormatCount(want), counted)
	}
	c.Assert("the count is right", got == want, msg,
		checker.Evidence{Counts: map[string]int64{"returned": got, "counted": want}})
}

// assertOneRoundTrip reads the learner's query log: a count is one
// statement, whatever the size of the table.
func assertOneRoundTrip(c *checker.Check) {
	log := c.QueryLog()
	trips := log.RoundTrips()
	msg := "CountRows sent one query: the database counted and sent back one number"
	switch {
	case trips == 0:
		msg = "CountRows sent no query: only the database knows the answer"
	case trips > 1:
		msg = fmt.Sprintf("CountRows made %d round trips; one SELECT count(*) is enough, "+
			"and the database counts without sending the rows", trips)
	}
	c.Assert("one round trip", trips == 1, msg, checker.Evidence{
		Queries: checker.Statements(log.Queries()),
		Counts:  map[string]int64{"round_trips": int64(trips)},
	})
}
