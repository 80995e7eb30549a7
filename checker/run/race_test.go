package run

import (
	"strings"
	"testing"

	"github.com/dblings/dblings/lessons"
)

// raceOutput is what a check built with -race printed for a scatter-gather
// whose goroutines append to one slice: the runtime's frames come first.
const raceOutput = `=== RUN   TestSharding
==================
WARNING: DATA RACE
Read at 0x00c0000961c0 by goroutine 10:
  runtime.growslice()
      /usr/local/go/src/runtime/slice.go:178 +0x0
  github.com/dblings/dblings/exercises/05-sharding.TopCustomers.func1()
      /ws/exercises/05-sharding/sharding.go:121 +0x1f9

Previous write at 0x00c0000961c0 by goroutine 9:
  runtime.slicecopy()
      /usr/local/go/src/runtime/slice.go:392 +0x0
  github.com/dblings/dblings/exercises/05-sharding.TopCustomers.func1()
      /ws/exercises/05-sharding/sharding.go:121 +0x2bc

Goroutine 10 (running) created at:
  github.com/dblings/dblings/exercises/05-sharding.TopCustomers()
      /ws/exercises/05-sharding/sharding.go:119 +0x358
==================
==================
WARNING: DATA RACE
Write at 0x00c0000a60c0 by goroutine 10:
  github.com/dblings/dblings/exercises/05-sharding.TopCustomers.func1()
      /ws/exercises/05-sharding/sharding.go:121 +0x147
==================
    testing.go:1712: race detected during execution of test
--- FAIL: TestSharding (0.01s)
`

// checkerRace is a race between the main goroutine and another, in code
// that is not the learner's.
const checkerRace = `WARNING: DATA RACE
Atomic write at 0x00c000012345 by main goroutine:
  sync/atomic.StoreInt64()
      /usr/local/go/src/sync/atomic/asm.s:1 +0x0
  github.com/dblings/dblings/checker.(*Check).count()
      /ws/checker/check.go:40 +0x10

Previous read at 0x00c000012345 by goroutine 3:
  github.com/dblings/dblings/checker.(*Check).read()
      /ws/checker/check.go:50 +0x10
==================
`

func TestFindRace(t *testing.T) {
	b := &build{lesson: lessons.Lesson{Dir: "05-sharding"}, opts: Options{Workspace: "/ws"}, module: "github.com/dblings/dblings"}
	tests := []struct {
		name   string
		output string
		says   []string // phrases of the message; none: no race found
	}{
		{"the learner's lines, past the runtime's", raceOutput, []string{
			"a data race: two goroutines",
			"goroutine 10 read it at exercises/05-sharding/sharding.go:121 (TopCustomers.func1)",
			"while goroutine 9 had written it at exercises/05-sharding/sharding.go:121 (TopCustomers.func1)",
			"(2 races were reported; see the output)",
			"sync.Mutex",
		}},
		{"outside the learner's code: the first frame outside the runtime", checkerRace, []string{
			"main goroutine atomic wrote it at checker/check.go:40 ((*Check).count)",
			"while goroutine 3 had read it at checker/check.go:50 ((*Check).read)",
		}},
		{"-trimpath names files by module path", strings.ReplaceAll(raceOutput, "/ws/", "github.com/dblings/dblings/"), []string{
			"goroutine 10 read it at exercises/05-sharding/sharding.go:121 (TopCustomers.func1)",
		}},
		{"no race", "=== RUN   TestSharding\n--- PASS: TestSharding (0.01s)\n", nil},
		{"a report cut short has no second side", "WARNING: DATA RACE\nRead at 0x1 by goroutine 2:\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := findRace(tt.output, b.learnerFile)
			if tt.says == nil {
				if r != nil {
					t.Fatalf("found a race: %s", r.message())
				}
				return
			}
			if r == nil {
				t.Fatal("no race found")
			}
			for _, s := range tt.says {
				if !strings.Contains(r.message(), s) {
					t.Errorf("the message does not say %q:\n%s", s, r.message())
				}
			}
		})
	}
}

// TestRaceReplacesTheBareTestFailure: the test a race failed is explained
// once, by the race, and the check's own failed records stay.
func TestRaceReplacesTheBareTestFailure(t *testing.T) {
	b := &build{lesson: lessons.Lesson{Dir: "05-sharding"}, opts: Options{Workspace: "/ws"}}
	list := []Assertion{
		{Test: "TestSharding", Name: "the report merges the shards' answers", Message: "line 3 is customer 7"},
		{Test: "TestSharding", Name: "TestSharding", Message: "==================", Output: raceOutput},
	}
	got := addRace(list, findRace(raceOutput, b.learnerFile))
	if len(got) != 2 || got[0].Name != list[0].Name || got[1].Name != raceAssertion || got[1].Test != "TestSharding" || got[1].OK {
		t.Fatalf("assertions = %+v; want the check's failure, then the race", got)
	}
	if !strings.Contains(got[1].Output, "WARNING: DATA RACE") {
		t.Errorf("the race's assertion does not keep the report: %q", got[1].Output)
	}
}

// TestNoCCompiler: a race build that fails for want of a C compiler is the
// machine's problem, told apart from the learner's compile errors.
func TestNoCCompiler(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  bool
	}{
		{"no compiler", []string{"# runtime/cgo", `cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH`}, true},
		{"cgo off", []string{"go: -race requires cgo; enable cgo by setting CGO_ENABLED=1"}, true},
		{"the learner's error", []string{"exercises/05-sharding/sharding.go:12:2: undefined: x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := noCCompiler(tt.lines); got != tt.want {
				t.Errorf("noCCompiler = %v, want %v", got, tt.want)
			}
		})
	}
}
