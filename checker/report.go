package checker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"
)

// Record is one assertion's result: one JSON object on one line of the
// report file. The runner and the TUI decode the report with this type.
type Record struct {
	// Test is the go test name of the check that made the assertion, so the
	// runner can join records with go test's own events.
	Test string `json:"test,omitempty"`
	// Name says what was asserted, in a few words ("cache hit makes no
	// database query").
	Name string `json:"name"`
	// OK is true when the assertion held.
	OK bool `json:"ok"`
	// Message tells the learner what was found and, on failure, what was
	// expected instead.
	Message string `json:"message"`
	// Evidence is what the assertion looked at.
	Evidence Evidence `json:"evidence"`
	// Weight is the assertion's share of the lesson's points relative to
	// the others' (see [WithWeights]); 0 stands for the default, 1.
	Weight float64 `json:"weight,omitempty"`
}

// Evidence is what an assertion looked at. Every field is optional; a check
// fills the ones that explain its verdict.
type Evidence struct {
	// Plan is a query plan, for assertions about one plan.
	Plan *Plan `json:"plan,omitempty"`
	// PlanBefore and PlanAfter show a change, e.g. before and after the
	// learner's index.
	PlanBefore *Plan `json:"plan_before,omitempty"`
	PlanAfter  *Plan `json:"plan_after,omitempty"`
	// Timing is a baseline-versus-candidate measurement from [Compare].
	Timing *Timing `json:"timing,omitempty"`
	// Queries are SQL statements the learner's code sent, in order (see
	// [Statements]).
	Queries []SQLStatement `json:"queries,omitempty"`
	// Commands are Redis commands the learner's code sent, in order (see
	// redischeck.Evidence).
	Commands []RedisCommand `json:"commands,omitempty"`
	// Counts are named numbers: round trips, rows, buffers, conflicts.
	Counts map[string]int64 `json:"counts,omitempty"`
	// Details holds anything else; values must encode as JSON.
	Details map[string]any `json:"details,omitempty"`
}

// SQLStatement is one statement in a record's evidence: a [Query] reduced to
// text, so that it survives JSON.
type SQLStatement struct {
	Kind QueryKind `json:"kind"`
	SQL  string    `json:"sql"`
	// Args are the arguments printed with %v, long ones shortened.
	Args []string `json:"args,omitempty"`
	// Batch numbers the batch that carried the statement (kind
	// "batch-query"); statements with the same number shared a round trip.
	Batch int `json:"batch,omitempty"`
	// Error is the error the statement ended with, if any.
	Error string `json:"error,omitempty"`
	// SQLState is the Postgres error code, when the server sent one.
	SQLState string `json:"sqlstate,omitempty"`
	// DurationMS is the time from sending to the end of reading the result.
	DurationMS float64 `json:"duration_ms,omitempty"`
}

// RedisCommand is one Redis command in a record's evidence.
type RedisCommand struct {
	Name string   `json:"name"`
	Args []string `json:"args,omitempty"`
	// Pipeline numbers the pipeline that carried the command; commands with
	// the same number shared a round trip.
	Pipeline int    `json:"pipeline,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Record writes r to the report and, when r.OK is false, marks the test
// failed with r's message (the test goes on, so that later independent
// assertions still report). It returns r.OK.
func (c *Check) Record(r Record) bool {
	c.t.Helper()
	r.Test = c.t.Name()
	r.Weight = c.weight(r.Name)
	if err := c.report.write(r); err != nil {
		c.t.Errorf("dblings report: %v", err)
	}
	if !r.OK {
		c.t.Errorf("%s: %s", r.Name, r.Message)
	} else if r.Message != "" {
		c.t.Logf("ok: %s: %s", r.Name, r.Message)
	} else {
		c.t.Logf("ok: %s", r.Name)
	}
	return r.OK
}

// weight is the weight of the assertion called name, from the check's
// [WithWeights] table, or 0 (the default) when the table does not name it.
// A weight that is not a positive number is the check's mistake: it fails
// the test, and the assertion keeps the default.
func (c *Check) weight(name string) float64 {
	c.t.Helper()
	w, ok := c.cfg.weights[name]
	if !ok {
		return 0
	}
	if !(w > 0) || math.IsInf(w, 0) {
		c.t.Errorf("dblings: the weight of %q is %v; weights are positive numbers", name, w)
		return 0
	}
	return w
}

// Assert records an assertion: its name, whether it held, the message that
// teaches (what was found, and what was expected), and the evidence. A
// failed assertion marks the test failed but does not stop it. It returns
// ok, so that a check can skip what depends on it.
func (c *Check) Assert(name string, ok bool, message string, ev Evidence) bool {
	c.t.Helper()
	return c.Record(Record{Name: name, OK: ok, Message: message, Evidence: ev})
}

// Timeable reports whether the check should now time the learner's code
// for the assertion called name: only when every assertion so far held.
// Timing code already found wrong teaches nothing the failed assertions do
// not say, and costs the learner seconds, a minute for a plan that reads
// the whole table. Otherwise the assertion is recorded as failed, saying
// why it was not timed: its points are earned with the pattern, not
// without it.
func (c *Check) Timeable(name string) bool {
	c.t.Helper()
	if !c.t.Failed() {
		return true
	}
	c.Record(Record{Name: name, OK: false,
		Message: "not timed yet: an assertion above failed, and the timing is taken once they all hold"})
	return false
}

// Require is Assert for assertions the rest of the check depends on: when
// it fails, the test stops. Call it from the test's goroutine only.
func (c *Check) Require(name string, ok bool, message string, ev Evidence) {
	c.t.Helper()
	if !c.Assert(name, ok, message, ev) {
		c.t.FailNow()
	}
}

// RequireNoError stops the test with a failed record carrying the error's
// message when a step of the learner's code (or of the check's setup)
// failed; a step that succeeded writes no record. The SQLSTATE, when there is one, goes into the
// evidence.
func (c *Check) RequireNoError(name string, err error) {
	c.t.Helper()
	if err == nil {
		// Success is not news: a ✓ for every setup step would bury the
		// assertions that teach.
		return
	}
	ev := Evidence{}
	if code := SQLState(err); code != "" {
		ev.Details = map[string]any{"sqlstate": code}
	}
	c.Require(name, false, err.Error(), ev)
}

// Evidence lists are capped so that a 10,000-row import does not make a
// 10,000-line record; counts carry the full numbers.
const (
	maxEvidenceItems = 50
	maxArgs          = 12
	maxArgChars      = 80
)

// reportFile appends records to the file named by DBLINGS_CHECK_REPORT.
// Each record is written with one write call on a file opened in append
// mode, so records from several checks (or processes) never interleave; the
// mutex orders this check's own goroutines. Opening the file per record
// keeps every record on disk even when the test binary later crashes.
type reportFile struct {
	path string
	mu   sync.Mutex
}

func (r *reportFile) write(rec Record) error {
	line, err := json.Marshal(rec)
	if err != nil {
		// Unencodable details (a channel, NaN) must not lose the verdict.
		rec.Evidence.Details = map[string]any{"evidence_error": err.Error()}
		rec.Evidence.Timing = nil
		if line, err = json.Marshal(rec); err != nil {
			return fmt.Errorf("encode record %q: %w", rec.Name, err)
		}
	}
	line = append(line, '\n')

	r.mu.Lock()
	defer r.mu.Unlock()
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("open report file: %w", err)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("write report file: %w", err)
	}
	return f.Close()
}

// touch creates the report file if needed, so that a path the check cannot
// write to is reported before any learner code runs.
func (r *reportFile) touch() error {
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// ReadRecords decodes a report file, one record per line. Blank lines are
// skipped; a line that is not a record is an error naming its line number.
func ReadRecords(data []byte) ([]Record, error) {
	var recs []Record
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return recs, fmt.Errorf("report line %d: %w", i+1, err)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// FormatCount prints n with thousands separators (999980 → "999,980"), the
// way messages show row and buffer counts.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// argText prints one argument for evidence.
func argText(v any) string {
	if b, ok := v.([]byte); ok {
		return shorten(fmt.Sprintf("\\x%x", b), maxArgChars)
	}
	return shorten(fmt.Sprintf("%v", v), maxArgChars)
}

// EvidenceList turns the first 50 of xs into evidence, each by evidence.
func EvidenceList[T, E any](xs []T, evidence func(T) E) []E {
	n := min(len(xs), maxEvidenceItems)
	out := make([]E, 0, n)
	for _, x := range xs[:n] {
		out = append(out, evidence(x))
	}
	return out
}

// ArgsText prints an argument list for evidence, capped at maxArgs, for
// the logs of the learner's calls (SQL here, Redis in package redischeck).
func ArgsText(args []any) []string {
	if len(args) == 0 {
		return nil
	}
	out := make([]string, 0, min(len(args), maxArgs+1))
	for i, a := range args {
		if i == maxArgs {
			out = append(out, fmt.Sprintf("… %d more", len(args)-maxArgs))
			break
		}
		out = append(out, argText(a))
	}
	return out
}
