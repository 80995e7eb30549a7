package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var started = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

func lesson(id string) lessons.Lesson {
	return lessons.Lesson{ID: id, Title: "Lesson " + id, Dir: "01-" + id, Points: 10}
}

func timings(compile, prepare, runFor float64) run.Timings {
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	return run.Timings{Compile: sec(compile), Prepare: sec(prepare), Run: sec(runFor)}
}

func plan(node, relation, index string, rows float64, buffers int64) *checker.Plan {
	return &checker.Plan{Root: &checker.PlanNode{NodeType: node, RelationName: relation, IndexName: index,
		ActualRows: rows, ActualLoops: 1, ActualTotalTime: 0.05, SharedHitBlocks: buffers}, PlanningTime: 0.1, ExecutionTime: 0.06}
}

// sampleResults has one lesson per verdict.
func sampleResults() []*run.Result {
	return []*run.Result{
		{Lesson: lesson("explain-index"), Verdict: run.Passed, Message: "all 2 assertions passed", Started: started, Timings: timings(0.6, 0.3, 0.4),
			Assertions: []run.Assertion{
				{Name: "no Seq Scan on posts", OK: true, Message: "Index Scan using posts_author_created_idx on posts",
					Evidence: checker.Evidence{PlanAfter: plan("Index Scan", "posts", "posts_author_created_idx", 20, 7)}},
				{Name: "no index just in case", OK: true, Message: "1 new index on posts"},
			}},
		{Lesson: lesson("cache-aside"), Verdict: run.Failed, Message: "2 of 3 assertions failed", Started: started, Timings: timings(0.7, 0.2, 1.1),
			Warnings: []string{"could not drop the check database dbl_run_x: server closed the connection"},
			Output:   "=== RUN   TestCacheAside\n--- FAIL: TestCacheAside (1.10s)\n",
			Assertions: []run.Assertion{
				{Name: "a miss reads the database once", OK: true, Message: "1 query", Evidence: checker.Evidence{Counts: map[string]int64{"queries": 1}}},
				{Name: "a hit makes no query", OK: false, Message: "the second GetUser sent 1 query to Postgres;\na cache hit must send none",
					Evidence: checker.Evidence{Counts: map[string]int64{"queries": 1}, Plan: plan("Seq Scan", "users", "", 1, 120)}},
				{Name: "reads by primary key", OK: false, Message: "GetUser scans users",
					Evidence: checker.Evidence{Plan: plan("Seq Scan", "users", "", 1, 120)}},
			}},
		{Lesson: lesson("cursor-pagination"), Verdict: run.CompileError, Message: "the code does not compile", Started: started, Timings: timings(0.5, 0, 0),
			CompileErrors: []run.Diagnostic{
				{File: "exercises/03-cursor-pagination/page.go", Line: 12, Column: 3, Message: "undefined: cursor"},
				{File: "exercises/03-cursor-pagination/page.go", Line: 20, Column: 9, Message: "missing return"},
			}},
		{Lesson: lesson("optimistic-locking"), Verdict: run.Panicked, Message: "the code crashed: assignment to entry in nil map", Started: started, Timings: timings(0.6, 0.2, 0.1),
			Output: "panic: assignment to entry in nil map\n\x1b[31mcolour\x1b[0m",
			Crash: &run.Crash{Message: "assignment to entry in nil map", Frames: []run.Frame{
				{Function: "Update", File: "exercises/04-optimistic-locking/update.go", Line: 31},
				{Function: "retry", File: "exercises/04-optimistic-locking/update.go", Line: 12},
			}},
			Assertions: []run.Assertion{{Name: "starts from a known version", OK: true, Message: "version 1"}}},
		{Lesson: lesson("sharding"), Verdict: run.TimedOut, Message: "the check did not finish within 2m0s and was stopped: look for a loop that never ends or a wait that never returns", Started: started, Timings: timings(0.6, 0.4, 120),
			Crash: &run.Crash{Message: "the check did not finish within 2m0s and was stopped", Frames: []run.Frame{{Function: "Route", File: "exercises/05-sharding/route.go", Line: 8}}}},
		{Lesson: lesson("batching"), Verdict: run.Errored, Message: "the database environment failed while copying the import data set: connection refused", Started: started, Timings: timings(0.6, 0.1, 0)},
	}
}

func TestGolden(t *testing.T) {
	for _, f := range report.Formats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			var err error
			if f == report.JUnit {
				err = report.WriteJUnit(&buf, sampleResults(), "ci-runner")
			} else {
				err = report.Write(&buf, f, sampleResults())
			}
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "report."+string(f)+".golden"), buf.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

func TestJSONStatus(t *testing.T) {
	results := sampleResults()
	pass, fail, compileErr := results[0], results[1], results[2]
	tests := []struct {
		name    string
		results []*run.Result
		status  string
		message bool
	}{
		{"all passed", []*run.Result{pass}, "pass", false},
		{"one failed", []*run.Result{pass, fail}, "fail", false},
		{"nothing could be judged", []*run.Result{compileErr}, "error", true},
		{"an error among results", []*run.Result{pass, compileErr}, "fail", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.WriteJSON(&buf, tt.results); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Version int
				Status  string
				Message *string
				Tests   []struct{ Name, Status string }
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != 3 || doc.Status != tt.status || (doc.Message != nil) != tt.message {
				t.Errorf("version %d, status %q, message %v; want 3, %q, message set %v", doc.Version, doc.Status, doc.Message, tt.status, tt.message)
			}
			for _, test := range doc.Tests {
				if !strings.Contains(test.Name, "/") {
					t.Errorf("test name %q is not <lesson>/<assertion>", test.Name)
				}
			}
		})
	}
}

// TestJUnitValidatesAgainstTheAntSchema runs xmllint; a machine without it
// fails the test, since an unvalidated report is the bug this test exists
// to catch.
func TestJUnitValidatesAgainstTheAntSchema(t *testing.T) {
	schema := filepath.Join("testdata", "junit-ant.xsd")
	if _, err := os.Stat(schema); err != nil {
		t.Fatalf("the schema is missing: %v", err)
	}
	sameAsShared(t, schema)
	for _, tt := range []struct {
		name    string
		results []*run.Result
	}{{"every verdict", sampleResults()}, {"no results", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.Write(&buf, report.JUnit, tt.results); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "report.xml")
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("xmllint", "--noout", "--schema", schema, file).CombinedOutput()
			if errors.Is(err, exec.ErrNotFound) {
				t.Fatal("xmllint is needed to validate JUnit output: install libxml2-utils (Debian/Ubuntu) or libxml2 (macOS)")
			}
			if err != nil {
				t.Fatalf("the JUnit report does not validate: %v\n%s\n%s", err, out, buf.Bytes())
			}
		})
	}
}

// sameAsShared guards the copy against drifting from the project's schema,
// when the shared folder is checked out beside the repository.
func sameAsShared(t *testing.T, copyPath string) {
	t.Helper()
	shared, err := os.ReadFile(filepath.Join("..", "..", "shared", "schemas", "junit-ant.xsd"))
	if err != nil {
		return
	}
	mine, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mine, shared) {
		t.Error("report/testdata/junit-ant.xsd differs from shared/schemas/junit-ant.xsd: copy it again")
	}
}

func TestParseFormat(t *testing.T) {
	for _, name := range []string{"text", "json", "junit"} {
		if f, err := report.ParseFormat(name); err != nil || string(f) != name {
			t.Errorf("ParseFormat(%q) = %q, %v", name, f, err)
		}
	}
	_, err := report.ParseFormat("xml")
	var fe *report.FormatError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "text, json or junit") {
		t.Errorf("ParseFormat(xml) = %v, want a FormatError listing the formats", err)
	}
}
