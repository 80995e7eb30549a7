// Command benchtable reads the output of make bench's benchmarks and prints
// one table: each figure a learner or an instructor waits for, its median
// and range, its target, and whether the target is met. The targets are
// those of the performance issue, for this project's 2-core machines.
//
//	go run ./internal/benchtable bench.txt
//
// It exits 1 when a benchmark failed (its figures would be missing or
// wrong), 2 when the file cannot be read, and 0 otherwise, met or not: a
// target missed is a finding, reported in the table.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchfmt"
)

// figure is one row pattern of the table: the benchmarks whose name starts
// with bench, the unit of their _p50/_min/_max metrics ("s" or "x"), and
// the target each must meet.
type figure struct {
	bench  string                    // benchmark name prefix, without "Benchmark"
	label  func(rest string) string  // the row's text, from what follows the prefix
	unit   string                    // "s": seconds, at most the target; "x": a ratio, at least
	target func(rest string) float64 // the target for that row; nil: none
	// parts, when set, are figures of one benchmark reported under their
	// own units (testenv.ReportSecondsAs: "compile-s_p50"), a row each:
	// where the time of another row goes.
	parts []string
}

func fixed(v float64) func(string) float64 { return func(string) float64 { return v } }

func named(format string) func(string) string {
	return func(rest string) string { return fmt.Sprintf(format, rest) }
}

// figures are the rows, in the order the table prints them.
var figures = []figure{
	{"EditToVerdict/", named("edit-to-verdict, %s, warm env"), "s", func(lesson string) float64 {
		if lesson == "explain-index" {
			return 2.5
		}
		return 3.5
	}, nil},
	{"TooSlowVerdict/", named("verdict for a too-slow answer, %s"), "s", fixed(15), nil},
	{"FirstVerdict/", named("first verdict in a fresh lab, %s"), "s", func(provider string) float64 {
		if provider == "docker" {
			return 8
		}
		return 6
	}, nil},
	{"FirstCheckAfterPrepare", named("first check after env up and prepare, lesson 1, local%s"), "s", fixed(6), nil},
	{"Load", named("fixture load rows/s, against pgbench -i%s"), "x", fixed(1.0), nil},
	// The ceiling of the row above: the server alone, on the same rows
	// (a binary dump of them replayed over one connection).
	{"Load", named("fixture load ceiling rows/s, against pgbench -i%s"), "x", nil, []string{"server-alone"}},
	{"Clone/FILE_COPY", named("per-check reset (clone)%s"), "s", fixed(0.3), nil},
	{"Ready/docker", named("env up, docker, every server the catalog needs%s"), "s", fixed(3), nil},
	{"Ready/reuse", named("env reuse (a kept environment found)%s"), "s", fixed(0.2), nil},
	// The learner's role and the witness are the trust model's cost.
	{"CheckPhases/", named("a check of %s"), "s", nil,
		[]string{"compile", "prepare", "role", "run", "witness", "cleanup", "verdict"}},
}

// row is one measured figure.
type row struct {
	label         string
	unit          string
	p50, min, max float64
	target        float64
	hasTarget     bool
}

func (r row) met() bool {
	if !r.hasTarget {
		return true
	}
	if r.unit == "x" {
		return r.p50 >= r.target
	}
	return r.p50 <= r.target
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtable FILE (the output of make bench's go test -bench)")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
	rows, err := parse(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
	writeTable(os.Stdout, rows)
	if failed := failures(data); len(failed) > 0 {
		fmt.Fprintf(os.Stderr, "benchtable: %d benchmark(s) failed, their figures are missing:\n  %s\n", len(failed), strings.Join(failed, "\n  "))
		os.Exit(1)
	}
}

// gomaxprocs is the "-N" go test appends to a benchmark's name.
var gomaxprocs = regexp.MustCompile(`-\d+$`)

// parse reads the benchmark results and keeps those the table knows, in
// the table's order; one result may give rows to several figures.
func parse(data []byte) ([]row, error) {
	byFigure := make([][]row, len(figures))
	r := benchfmt.NewReader(bytes.NewReader(data), "bench")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		name := gomaxprocs.ReplaceAllString(string(res.Name.Full()), "")
		for i, f := range figures {
			rest, found := strings.CutPrefix(name, f.bench)
			if !found {
				continue
			}
			if rest != "" && !strings.HasSuffix(f.bench, "/") {
				rest = " " + rest
			}
			byFigure[i] = append(byFigure[i], f.rows(res, rest)...)
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	var rows []row
	for _, rs := range byFigure {
		rows = append(rows, rs...)
	}
	return rows, nil
}

// rows are the figure's rows of one benchmark result: one, or one per part
// the result reports.
func (f figure) rows(res *benchfmt.Result, rest string) []row {
	one := func(label, unit string) []row {
		m := metrics(res, unit)
		if m == nil {
			return nil
		}
		r := row{label: label, unit: f.unit, p50: m["_p50"], min: m["_min"], max: m["_max"], hasTarget: f.target != nil}
		if r.hasTarget {
			r.target = f.target(rest)
		}
		return []row{r}
	}
	if len(f.parts) == 0 {
		return one(f.label(rest), f.unit)
	}
	var rows []row
	for _, part := range f.parts {
		rows = append(rows, one(f.label(rest)+", "+part, part+"-"+f.unit)...)
	}
	return rows
}

// metrics are a result's median and range in the unit, or nil when it
// reports no median.
func metrics(res *benchfmt.Result, unit string) map[string]float64 {
	m := map[string]float64{}
	for _, v := range res.Values {
		if suffix, ok := strings.CutPrefix(v.Unit, unit); ok {
			m[suffix] = v.Value
		}
	}
	if _, ok := m["_p50"]; !ok {
		return nil
	}
	return m
}

func writeTable(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tmedian\trange\ttarget\tmet")
	for _, r := range rows {
		target, mark := "—", "—"
		if r.hasTarget {
			target = map[string]string{"s": "≤ ", "x": "≥ "}[r.unit] + format(r.target, r.unit)
			mark = map[bool]string{true: "met", false: "NOT MET"}[r.met()]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s–%s\t%s\t%s\n", r.label, format(r.p50, r.unit), format(r.min, ""), format(r.max, r.unit), target, mark)
	}
	tw.Flush()
}

func format(v float64, unit string) string {
	switch unit {
	case "x":
		return fmt.Sprintf("%.2f×", v)
	case "s":
		return fmt.Sprintf("%.2f s", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// failures are the benchmarks and packages go test reported as failed.
func failures(data []byte) []string {
	var failed []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "FAIL\t") {
			failed = append(failed, line)
		}
	}
	return failed
}
