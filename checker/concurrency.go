package checker

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Outcome is what happened to the goroutines of one [RunConcurrently].
type Outcome struct {
	Goroutines int
	Succeeded  int
	// Failed counts goroutines whose function returned an error.
	Failed int
	// Panicked counts goroutines whose function panicked.
	Panicked int
	// Stuck lists the goroutines still running when the wait ended; they are
	// left behind, so the check can report them instead of hanging.
	Stuck []int
	// Errors holds one *[GoroutineError] or *[PanicError] per goroutine that
	// failed or panicked, in goroutine order.
	Errors  []error
	Elapsed time.Duration
}

// Count returns how many of the errors match, e.g.
// o.Count(checker.IsSerializationFailure).
func (o Outcome) Count(match func(error) bool) int {
	n := 0
	for _, err := range o.Errors {
		if match(err) {
			n++
		}
	}
	return n
}

// Counts returns the outcome as evidence counts.
func (o Outcome) Counts() map[string]int64 {
	return map[string]int64{
		"goroutines": int64(o.Goroutines),
		"succeeded":  int64(o.Succeeded),
		"failed":     int64(o.Failed),
		"panicked":   int64(o.Panicked),
		"stuck":      int64(len(o.Stuck)),
	}
}

// String summarises the outcome for a message, with the first error.
func (o Outcome) String() string {
	s := fmt.Sprintf("%d goroutines: %d succeeded, %d returned an error, %d panicked, %d still running at the deadline",
		o.Goroutines, o.Succeeded, o.Failed, o.Panicked, len(o.Stuck))
	if len(o.Errors) > 0 {
		s += "; first: " + o.Errors[0].Error()
	}
	return s
}

// ConcurrencyOption changes how [RunConcurrently] runs.
type ConcurrencyOption func(*concurrencyConfig)

type concurrencyConfig struct {
	timeout time.Duration
}

// WithTimeout bounds the run (default 30s): the context given to the
// goroutines ends then, and goroutines that have not returned after a grace
// period (the timeout again, at most 2s) are reported as stuck.
func WithTimeout(d time.Duration) ConcurrencyOption {
	return func(c *concurrencyConfig) { c.timeout = d }
}

// RunConcurrently runs fn in n goroutines, goroutine i calling fn(ctx, i).
// All goroutines are released at the same moment, so that they really
// contend. It waits for them all, but not past the timeout (plus a short
// grace for goroutines that honour the context).
//
// A panic in a goroutine becomes a *[PanicError] that names the panic value
// and the learner's line, instead of crashing the test binary.
func RunConcurrently(ctx context.Context, n int, fn func(ctx context.Context, i int) error, opts ...ConcurrencyOption) Outcome {
	cfg := concurrencyConfig{timeout: 30 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	runCtx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	// Buffered, so that goroutines finishing after we stopped waiting never block.
	results := make(chan result, n)
	start := make(chan struct{})
	for i := range n {
		go func() {
			<-start
			results <- result{i, runOne(runCtx, i, fn)}
		}()
	}
	began := time.Now()
	close(start)
	out := collect(runCtx, results, n, min(2*time.Second, cfg.timeout))
	out.Elapsed = time.Since(began)
	return out
}

type result struct {
	goroutine int
	err       error
}

// collect gathers n results, or as many as arrive until grace after ctx
// ends; the goroutines that never reported are stuck.
func collect(ctx context.Context, results <-chan result, n int, grace time.Duration) Outcome {
	out := Outcome{Goroutines: n}
	done := make([]bool, n)
	expired := ctx.Done()
	var graceOver <-chan time.Time
wait:
	for received := 0; received < n; {
		select {
		case r := <-results:
			received++
			done[r.goroutine] = true
			out.record(r.goroutine, r.err)
		case <-expired:
			expired = nil // a nil channel is never ready: stop selecting on it
			graceOver = time.After(grace)
		case <-graceOver:
			break wait
		}
	}
	for i, ok := range done {
		if !ok {
			out.Stuck = append(out.Stuck, i)
		}
	}
	slices.SortFunc(out.Errors, func(a, b error) int { return goroutineOf(a) - goroutineOf(b) })
	return out
}

func (o *Outcome) record(i int, err error) {
	switch err.(type) {
	case nil:
		o.Succeeded++
	case *PanicError:
		o.Panicked++
		o.Errors = append(o.Errors, err)
	default:
		o.Failed++
		o.Errors = append(o.Errors, &GoroutineError{Goroutine: i, Err: err})
	}
}

func goroutineOf(err error) int {
	switch e := err.(type) {
	case *PanicError:
		return e.Goroutine
	case *GoroutineError:
		return e.Goroutine
	}
	return -1
}

// runOne calls fn, turning a panic into a *PanicError.
func runOne(ctx context.Context, i int, fn func(context.Context, int) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Goroutine: i, Value: v, Where: panicFrames(3)}
		}
	}()
	return fn(ctx, i)
}

// panicFrames returns up to n frames of the panicking goroutine, innermost
// first, skipping the Go runtime and this package, as "dir/file.go:line".
// Called from a deferred recover, the stack still holds the panicking code.
func panicFrames(n int) []string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	var out []string
	for len(out) < n {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && !strings.HasPrefix(f.Function, thisPackage+".") && f.File != "" {
			out = append(out, fmt.Sprintf("%s:%d", lastTwo(f.File), f.Line))
		}
		if !more {
			break
		}
	}
	return out
}

const thisPackage = "github.com/dblings/dblings/checker"

// lastTwo keeps the file name and its folder, enough to find the learner's
// file without the machine's paths.
func lastTwo(path string) string {
	dir, file := filepath.Split(path)
	return filepath.Join(filepath.Base(dir), file)
}
