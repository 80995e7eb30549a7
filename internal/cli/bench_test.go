package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// The benchmarks of this file time what a learner waits for, through the
// real dblings binary: from the command to its verdict. Each reports the
// median and range of its samples (testenv.ReportSeconds), which make
// bench's table sets against its targets.

// BenchmarkEditToVerdict: with an environment kept by "env up" (local, as
// in a lab) and a warm build cache, the learner saves a code edit to a
// lesson's exercise and runs "dblings check". The edit adds a package-level
// variable, so the compiled package changes and Go links again, as after a
// learner's real edit (a comment alone would let Go skip the link). The
// reference solution is checked, so every run goes through the whole check.
func BenchmarkEditToVerdict(b *testing.B) {
	ws := keptWorkspace(b, sandbox.Local)
	for _, l := range testenv.Catalog(b) {
		b.Run(l.ID, func(b *testing.B) {
			lay(b, ws, l, "")
			timeVerdict(b, ws, l, -1, true) // the data set's template and the build cache
			samples := make([]time.Duration, 0, b.N)
			for i := range b.N {
				samples = append(samples, timeVerdict(b, ws, l, i, true))
			}
			testenv.ReportSeconds(b, samples)
		})
	}
}

// BenchmarkTooSlowVerdict: how long a learner waits to be told that an
// answer is too slow (OFFSET, row by row, everything fetched into Go).
func BenchmarkTooSlowVerdict(b *testing.B) {
	ws := keptWorkspace(b, sandbox.Local)
	for _, slow := range []struct{ lesson, answer string }{
		{"cursor-pagination", "offset-cursor"},
		{"batching", "row-by-row"},
		{"aggregation", "untouched-stub"},
	} {
		b.Run(slow.lesson+"/"+slow.answer, func(b *testing.B) {
			l := testenv.Lesson(b, slow.lesson)
			lay(b, ws, l, answerFile(b, l, slow.answer))
			timeVerdict(b, ws, l, -1, false)
			samples := make([]time.Duration, 0, b.N)
			for i := range b.N {
				samples = append(samples, timeVerdict(b, ws, l, i, false))
			}
			testenv.ReportSeconds(b, samples)
		})
	}
}

// BenchmarkFirstVerdict: a learner who never ran "env up" checks lesson 1
// in a fresh workspace: dblings starts servers for the run, loads the data
// set, compiles (the build cache is warm) and judges.
func BenchmarkFirstVerdict(b *testing.B) {
	first := testenv.Catalog(b)[0]
	for _, p := range providers {
		b.Run(p.name, func(b *testing.B) {
			p.require(b)
			samples := make([]time.Duration, 0, b.N)
			for range b.N {
				ws := checkout(b)
				lay(b, ws, first, "")
				start := time.Now()
				got := run(b, ws, "--env", p.name, "check", first.ID)
				samples = append(samples, time.Since(start))
				if got.code != 0 {
					b.Fatalf("first check on %s: exit %d\n%s%s", p.name, got.code, got.stdout, got.stderr)
				}
			}
			testenv.ReportSeconds(b, samples)
		})
	}
}

// BenchmarkFirstCheckAfterPrepare: a workshop laptop made ready as the
// README's instructor section says ("env up", then "prepare"), then the
// learner's first check of lesson 1, after typing the answer in (a code
// edit). Prepare runs once; each sample is another first edit on the
// prepared machine.
func BenchmarkFirstCheckAfterPrepare(b *testing.B) {
	first := testenv.Catalog(b)[0]
	ws := keptWorkspace(b, sandbox.Local)
	if got := runFor(b, prepareLimit, ws, "prepare"); got.code != 0 {
		b.Fatalf("prepare: exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	lay(b, ws, first, "")
	samples := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		samples = append(samples, timeVerdict(b, ws, first, i, true))
	}
	testenv.ReportSeconds(b, samples)
}

// keptWorkspace is a checkout with an environment kept by "env up", taken
// down when the benchmark ends.
func keptWorkspace(b *testing.B, provider sandbox.Provider) string {
	b.Helper()
	ws := checkout(b)
	if got := run(b, ws, "--env", string(provider), "env", "up"); got.code != 0 {
		b.Fatalf("env up: exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	b.Cleanup(func() {
		if got := run(b, ws, "env", "down"); got.code != 0 {
			b.Errorf("env down: exit %d\n%s%s", got.code, got.stdout, got.stderr)
		}
	})
	return ws
}

// timeVerdict makes edit number n to lesson l's exercise in ws and times
// "dblings check" to its verdict, which must be a pass or a fail as asked.
func timeVerdict(b *testing.B, ws string, l lessons.Lesson, n int, pass bool) time.Duration {
	b.Helper()
	path := filepath.Join(ws, filepath.FromSlash(l.ExercisePath()))
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	edited := fmt.Appendf(src, "\nvar benchEdit%d = %d\n", max(n, 0), time.Now().UnixNano())
	writeFile(b, path, edited)
	start := time.Now()
	got := run(b, ws, "check", l.ID)
	took := time.Since(start)
	writeFile(b, path, src)
	if want := map[bool]int{true: 0, false: 1}[pass]; got.code != want {
		b.Fatalf("check %s: exit %d, want %d\n%s%s", l.ID, got.code, want, got.stdout, got.stderr)
	}
	return took
}
