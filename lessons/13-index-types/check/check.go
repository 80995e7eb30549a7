// Package check is lesson 13's check: CountRows must return the
// number of rows in sessions, in one round trip.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/13-index-types/check_test.go hands it the learner's code, so an edit
// recompiles only the learner's file and that shim.
package check

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// countQuery is the check's own copy of the query that finds the truth (a
// check never relies on SQL the learner can change); counted says in words
// what it counts.
const (
	countQuery = `SELECT count(*) FROM sessions`
	counted    = "rows in sessions"
)

// TODO(author): the example shows the shape every check has; replace it
// with the lesson's own assertions (docs/AUTHORING.md):
//   - call the learner's code with the handles it is meant to use:
//     c.Pool();
//   - read every fact from the data with the checker's own handles
//     (c.Admin()), never from a constant;
//   - assert on deterministic evidence first (plans, counts, final state),
//     each with a message that says what was found and what was expected.
//
// Exercise is what the learner's package gives the check: the functions
// it calls (and any value it must compare), in the check's own types.
type Exercise struct {
	CountRows func(context.Context, *pgxpool.Pool) (int64, error)
}

// Run is the check of lesson 13.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t)
	ctx := c.Ctx()

	var want int64
	c.RequireNoError("count the "+counted, c.Admin().QueryRow(ctx, countQuery).Scan(&want))

	got, err := ex.CountRows(ctx, c.Pool())
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
