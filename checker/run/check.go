// Package run executes lesson checks: it compiles a lesson's check with the
// pristine check files laid over the learner's workspace, gives it its own
// databases, runs it with a timeout, and turns what happened into a verdict
// with evidence.
//
// A check goes through three phases, each timed and reported through
// Options.Progress: compiling (go test -c with -overlay, no database
// involved), preparing the database (the fixture template, loaded once per
// server and reused, then a clone per server and a flushed Redis logical
// database), and running (the test binary under go tool test2json, with
// the connection details and the report path in DBLINGS_CHECK_* variables).
// The databases are removed after every run, also after a crash, a timeout
// or a cancellation.
//
// Check runs one lesson. Series runs many, one at a time so that timings
// are not disturbed, while compiling the next one ahead.
package run

import (
	"context"
	"time"

	"github.com/dblings/dblings/lessons"
)

// Check compiles and runs one lesson's check. The error is for bad options
// or a cancelled ctx; every verdict, including an environment failure, is
// a Result.
//
// The databases are prepared, and the witness takes its first look, while
// the code compiles: neither needs the other, and the learner waits for the
// longer of the two instead of both.
func Check(ctx context.Context, l lessons.Lesson, opts Options) (*Result, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	staged := make(chan stageOrError, 1)
	go func() {
		st, err := makeStage(sctx, l, opts)
		staged <- stageOrError{st, err}
	}()
	b, err := compile(ctx, l, opts)
	if err != nil || b.done != nil {
		// Nothing will run on the databases: stop making them and remove
		// what was made.
		cancel()
		if s := <-staged; s.err == nil {
			s.stage.release(ctx)
		}
		if err != nil {
			return nil, err
		}
		defer b.Close()
		return b.Run(ctx)
	}
	defer b.Close()
	opts.progress(PhasePreparing)
	s := <-staged
	if s.err != nil {
		return nil, s.err
	}
	return b.runOn(ctx, s.stage, time.Since(start))
}

// stageOrError is what makeStage returned, handed over a channel.
type stageOrError struct {
	stage *stage
	err   error
}

// Job is one check of a Series.
type Job struct {
	Lesson  lessons.Lesson
	Options Options
}

// Series runs the jobs in order, one at a time, while the next job
// compiles; done, when not nil, gets each result as soon as it is known.
// It stops at the first error (bad options, or ctx cancelled) and returns
// the results so far.
func Series(ctx context.Context, jobs []Job, done func(Job, *Result)) ([]*Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	builds := make(chan compiled) // unbuffered: compile exactly one ahead
	go compileAll(ctx, jobs, builds)
	defer func() {
		cancel() // stop compiling, then remove what was compiled for nothing
		for c := range builds {
			c.build.Close()
		}
	}()

	var results []*Result
	for _, job := range jobs {
		c, ok := <-builds
		if !ok {
			return results, ctx.Err()
		}
		if c.err != nil {
			return results, c.err
		}
		res, err := c.build.Run(ctx)
		c.build.Close()
		if err != nil {
			return results, err
		}
		results = append(results, res)
		if done != nil {
			done(job, res)
		}
	}
	return results, nil
}

type compiled struct {
	build *build
	err   error
}

// compileAll compiles the jobs in order and hands them over one by one; it
// stops when ctx is cancelled, closing what it could not hand over.
func compileAll(ctx context.Context, jobs []Job, out chan<- compiled) {
	defer close(out)
	for _, job := range jobs {
		b, err := compile(ctx, job.Lesson, job.Options)
		select {
		case out <- compiled{b, err}:
		case <-ctx.Done():
			b.Close()
			return
		}
		if err != nil {
			return
		}
	}
}
