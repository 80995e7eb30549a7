// Package check is lesson 16's check: it runs the learner's migration
// steps on the payments table while an application reads and writes them
// at a steady rate, and a report holds a read lock on the table as each
// step begins. It then holds the migration to three things: no request of
// the application waited long on a lock, none failed or read a wrong
// amount, and the table ends with amount_cents, a bigint that cannot be
// NULL, indexed, with every row's right value and no amount.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/16-online-migration/check_test.go hands it the learner's code,
// so an edit recompiles only the learner's file and that shim.
package check

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// App is a version of the application (the learner's App, same values).
type App int

// The versions, in the order the learner's stub declares them.
const (
	WritesAmount App = iota
	WritesBoth
	UsesCents
)

// String names the version as the learner's constants do, for messages.
func (a App) String() string {
	switch a {
	case WritesAmount:
		return "WritesAmount"
	case WritesBoth:
		return "WritesBoth"
	case UsesCents:
		return "UsesCents"
	}
	return fmt.Sprintf("App(%d)", int(a))
}

// Step is one of the learner's steps: SQL work (Run) or a deploy.
type Step struct {
	Name   string
	Run    func(ctx context.Context, db *pgxpool.Pool) error
	Deploy App
}

// Exercise is what the learner's package gives the check.
type Exercise struct {
	Steps []Step
}

// Assertion names, which the answers refer to.
const (
	nameSteps        = "every step succeeds"
	nameWait         = "no request waits on a lock"
	nameFailed       = "no failed request"
	nameBatches      = "at most 20,000 rows per transaction"
	nameConcurrently = "indexes built concurrently"
	nameSchema       = "the final schema"
	nameData         = "every row's amount_cents is right"
	// maxLockWait bounds a request's wait on the table's lock: a right
	// answer's longest was 76-82 ms on a quiet machine and 335 ms once on
	// a loaded CI machine; the stub's is 3.9-5.0 s, and an ALTER queued
	// behind the report without a lock_timeout waits its 700 ms.
	maxLockWait = 500 * time.Millisecond
)

// Run is the check of lesson 16.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		nameSteps:        1,
		nameWait:         3, // the point of the lesson: the application never stops
		nameFailed:       2,
		nameBatches:      2,
		nameConcurrently: 1,
		nameSchema:       2,
		nameData:         2,
	}))
	ctx := c.Ctx()
	c.Require("the migration has steps", len(ex.Steps) > 0,
		fmt.Sprintf("Migration returned %d steps", len(ex.Steps)), checker.Evidence{})
	f := readFacts(c, ctx)
	c.RequireNoError("find the application's functions", findTraffic(ctx, c.Admin()))

	tr, err := startTraffic(ctx, c, f)
	c.RequireNoError("start the application's traffic", err)
	took, stepErr := runSteps(ctx, c, tr, ex.Steps)
	// The last version keeps serving a moment on the final schema.
	time.Sleep(300 * time.Millisecond)
	res := tr.stop()

	assertSteps(c, stepErr, took)
	assertWait(c, res)
	assertNoFailure(c, res)
	assertSmallTransactions(c, ctx)
	assertConcurrentIndexes(c)
	assertSchema(c, ctx)
	assertData(c, ctx, f, res)
}

// stepError is the first step that failed.
type stepError struct {
	step string
	err  error
}

// runSteps runs the learner's steps in order, starting a report just as
// each Run step begins and deploying the application at each Deploy step.
// It stops at the first step that fails.
func runSteps(ctx context.Context, c *checker.Check, tr *traffic, steps []Step) (map[string]int64, *stepError) {
	took := map[string]int64{}
	for i, s := range steps {
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("step %d", i+1)
		}
		tr.setStep(name)
		if s.Run == nil {
			tr.deploy(s.Deploy)
			time.Sleep(settle)
			continue
		}
		rep := tr.startReport(ctx)
		start := time.Now()
		err := s.Run(ctx, c.Pool())
		took[name+" ms"] = time.Since(start).Milliseconds()
		rep.wait()
		if err != nil {
			return took, &stepError{step: name, err: err}
		}
		time.Sleep(settle)
	}
	tr.setStep("after the last step")
	return took, nil
}

func assertSteps(c *checker.Check, failed *stepError, took map[string]int64) {
	msg := "every step returned nil"
	if failed != nil {
		msg = fmt.Sprintf("step %q failed: %v", failed.step, failed.err)
		if checker.IsLockTimeout(failed.err) {
			msg += ". A lock_timeout is half of the recipe: when it fires, wait a little and try the statement again, " +
				"until the report that holds the table has ended"
		}
	}
	c.Require(nameSteps, failed == nil, msg, checker.Evidence{Counts: took})
}

// assertWait reads what the sampler saw: the longest time a request of the
// application spent waiting on a lock, and during which step.
func assertWait(c *checker.Check, res result) {
	w := res.longestWait
	msg := fmt.Sprintf("the application's requests waited at most %d ms on the table's lock (the bound is %d ms)",
		w.wait.Milliseconds(), maxLockWait.Milliseconds())
	if w.wait > maxLockWait {
		msg = fmt.Sprintf("a request of the application waited %d ms on the table's lock during step %q (the bound is %d ms); "+
			"it was running %s%s. %s", w.wait.Milliseconds(), w.step, maxLockWait.Milliseconds(), describe(w.query), blockedBy(w), waitAdvice)
	}
	c.Assert(nameWait, w.wait <= maxLockWait, msg, checker.Evidence{
		Details: map[string]any{"longest_wait_ms": w.wait.Milliseconds(), "step": w.step, "p99_ms": res.p99Wait.Milliseconds(),
			"samples_waiting": res.waitSamples},
		Counts: map[string]int64{"longest_wait_ms": w.wait.Milliseconds()},
	})
}

// blockedBy names the statement a request was queued behind.
func blockedBy(w wait) string {
	switch {
	case w.blocker == "":
		return ""
	case w.blockerWaiting:
		return fmt.Sprintf(", queued behind %s, which was itself waiting for a lock: a statement waiting for a strong "+
			"lock makes every request that comes after it wait too, unless a lock_timeout makes it give up soon", describe(w.blocker))
	}
	return fmt.Sprintf(", blocked by %s", describe(w.blocker))
}

// waitAdvice is what a long wait usually means.
const waitAdvice = "A statement that takes a strong lock for long (a rewrite, a plain CREATE INDEX, SET NOT NULL scanning " +
	"the table, a transaction that updates many rows) or that queues behind the report without a lock_timeout makes every " +
	"request queue behind it"

func assertNoFailure(c *checker.Check, res result) {
	msg := fmt.Sprintf("%s requests (%s reads, %s writes), none failed", checker.FormatCount(res.requests),
		checker.FormatCount(res.reads), checker.FormatCount(res.writes))
	if res.failed > 0 {
		msg = fmt.Sprintf("%s of %s requests failed; the first: %s", checker.FormatCount(res.failed),
			checker.FormatCount(res.requests), strings.Join(res.firstFailures, "; "))
	}
	c.Assert(nameFailed, res.failed == 0 && res.requests > 0, msg, checker.Evidence{
		Counts: map[string]int64{"requests": res.requests, "failed": res.failed},
	})
}

// describe shortens a statement for a message.
func describe(q string) string {
	q = checker.OneLine(q)
	if len(q) > 120 {
		q = q[:117] + "..."
	}
	if q == "" {
		return "a request"
	}
	return q
}

// settle is how long the application serves between two steps, as it does
// between two deploys: what a step broke shows at once.
const settle = 150 * time.Millisecond
