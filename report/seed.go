package report

import (
	"fmt"

	"github.com/dblings/dblings/checker/run"
)

// Every report says which data its checks ran on, and how to run a failed
// one again on the same data: `grade` draws a variant of the data per run
// (see fixtures.FixedSeed), and without its seed a failure on a variant
// could not be reproduced.

// Reproduce is the command that runs a learner's failed check again on the
// same data: the seed and the lesson. It is "" for a pass, and for the
// reference solutions and stubs that verify runs.
func Reproduce(r *run.Result) string {
	if r.Pass() || r.Mode != run.Learner {
		return ""
	}
	return fmt.Sprintf("dblings grade --seed %d %s", r.Seed, r.Lesson.ID)
}

// sharedSeed is the seed of every result, or nil when they differ or there
// are none.
func sharedSeed(rs []*run.Result) *uint64 {
	if len(rs) == 0 {
		return nil
	}
	seed := rs[0].Seed
	for _, r := range rs[1:] {
		if r.Seed != seed {
			return nil
		}
	}
	return &seed
}
