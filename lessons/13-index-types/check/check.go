// Package check is lesson 13's check: four access paths, each served by
// its own kind of index. It races sign-ups against each other and against
// another writer, plans the statements the learner's lookup, search and
// expiry job really sent, and drives the expiry job's clock.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/13-index-types/check_test.go hands it the learner's code, so an
// edit recompiles only the learner's file and that shim.
package check

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// Exercise is what the learner's package gives the check.
type Exercise struct {
	Migrate        func(context.Context, *pgxpool.Pool) error
	SignUp         func(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error)
	FindByEmail    func(ctx context.Context, db *pgxpool.Pool, email string) (int64, error)
	Search         func(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error)
	ExpireSessions func(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error)
	ErrEmailTaken  error
	ErrNotFound    error
}

// racers is how many sign-ups race for one e-mail. The learner's pool gets
// room for all of them at once, so each really holds a connection.
const racers = 8

// Run is the check of lesson 13.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithMaxConns(racers+2), checker.WithWeights(checker.Weights{
		"one account per e-mail under a race":            3,
		"lookup uses an index on lower(email)":           2,
		"search uses a full-text index":                  2,
		"expiry job uses an index":                       2,
		"the expiry index leaves out what never expires": 1,
	}))
	ctx := c.Ctx()
	f := readFacts(c, ctx)

	c.RequireNoError("your migration runs", ex.Migrate(ctx, c.Pool()))

	checkSignUps(c, ctx, ex, f)
	checkLookup(c, ctx, ex, f)
	checkSearch(c, ctx, ex, f)
	checkExpiry(c, ctx, ex, f)
}
