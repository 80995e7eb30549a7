package run_test

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dblings/dblings/checker/run"
)

// TestLoudCodeKeepsHeadAndTail: a learner's code that prints 64 MB must not
// make the runner hold it. The runner keeps the first and the last lines,
// 1 MB in all, and says how much it left out; its heap stays small all
// along.
func TestLoudCodeKeepsHeadAndTail(t *testing.T) {
	env := servers.Get(t)
	opts := options(t, newWorkspace(t), env)
	opts.Replace = answer(t, "loud.go")
	opts.Timeout = 2 * time.Minute

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := watchHeap(t)
	r, err := run.Check(context.Background(), testLesson, opts)
	if err != nil {
		t.Fatal(err)
	}
	grown := int64(peak()) - int64(before.HeapInuse)
	t.Logf("verdict %s; heap in use %d MB before, %+d MB at the peak; %d bytes of output kept",
		r.Verdict, before.HeapInuse>>20, grown>>20, len(r.Output))
	if r.Verdict != run.Passed {
		t.Errorf("verdict = %s (%s): printing is no failure", r.Verdict, r.Message)
	}
	if grown > 48<<20 {
		t.Errorf("the runner's heap grew by %d MB while the check printed 64 MB", grown>>20)
	}
	if len(r.Output) > 1<<20+200 {
		t.Errorf("%d bytes of output kept, want at most 1 MB", len(r.Output))
	}
	for _, want := range []string{"the first line the code printed", "bytes of output left out", "the last line the code printed"} {
		if !strings.Contains(r.Output, want) {
			t.Errorf("the output kept does not have %q", want)
		}
	}
}

// watchHeap samples the heap in use until the test ends; the returned
// function gives the highest value seen so far.
func watchHeap(t *testing.T) func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return peak.Load
}
