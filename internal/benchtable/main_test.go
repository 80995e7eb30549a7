package main

import (
	"bytes"
	"strings"
	"testing"
)

// sample is go test -bench output as make bench prints it, trimmed.
const sample = `goos: linux
goarch: amd64
pkg: github.com/dblings/dblings/internal/cli
BenchmarkEditToVerdict/explain-index-2         	       5	2600000000 ns/op	         2.600 s_max	         2.100 s_min	         2.400 s_p50
BenchmarkEditToVerdict/cache-aside-2           	       5	3900000000 ns/op	         4.200 s_max	         3.700 s_min	         3.800 s_p50
BenchmarkTooSlowVerdict/batching/row-by-row-2  	       5	9000000000 ns/op	        12.000 s_max	         8.000 s_min	         9.000 s_p50
BenchmarkFirstVerdict/docker-2                 	       5	9000000000 ns/op	        10.000 s_max	         8.500 s_min	         9.000 s_p50
--- FAIL: BenchmarkFirstVerdict/local
FAIL	github.com/dblings/dblings/internal/cli	120.000s
pkg: github.com/dblings/dblings/fixtures
BenchmarkLoad-2   	       5	9000000000 ns/op	    360000 dblings_rows/s	    800000 pgbench_rows/s	0.45 x_p50	0.40 x_min	0.52 x_max	0.75 server-alone-x_p50	0.70 server-alone-x_min	0.80 server-alone-x_max
BenchmarkClone/FILE_COPY-2   	       5	400000000 ns/op	12.0 drop_ms	0.404 s_p50	0.380 s_min	0.450 s_max
BenchmarkClone/WAL_LOG-2   	       5	900000000 ns/op	12.0 drop_ms	0.904 s_p50	0.880 s_min	0.950 s_max
pkg: github.com/dblings/dblings/checker/run
BenchmarkCheckPhases/cache-aside-2   	       5	3000000000 ns/op	0.30 role-s_p50	0.20 role-s_min	0.40 role-s_max	0.50 witness-s_p50	0.45 witness-s_min	0.60 witness-s_max
`

func TestTable(t *testing.T) {
	rows, err := parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		label  string
		p50    float64
		target float64
		met    bool
	}{
		{"edit-to-verdict, explain-index, warm env", 2.4, 2.5, true},
		{"edit-to-verdict, cache-aside, warm env", 3.8, 3.5, false},
		{"verdict for a too-slow answer, batching/row-by-row", 9, 15, true},
		{"first verdict in a fresh lab, docker", 9, 8, false},
		{"fixture load rows/s, against pgbench -i", 0.45, 1, false},
		{"fixture load ceiling rows/s, against pgbench -i, server-alone", 0.75, 0, true},
		{"per-check reset (clone)", 0.404, 0.3, false},
		{"a check of cache-aside, role", 0.3, 0, true},
		{"a check of cache-aside, witness", 0.5, 0, true},
	}
	if len(rows) != len(tests) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(tests), rows)
	}
	for i, tc := range tests {
		r := rows[i]
		if r.label != tc.label || r.p50 != tc.p50 || r.target != tc.target || r.met() != tc.met {
			t.Errorf("row %d: %q p50 %v target %v met %v, want %q %v %v %v", i, r.label, r.p50, r.target, r.met(), tc.label, tc.p50, tc.target, tc.met)
		}
	}
	var out bytes.Buffer
	writeTable(&out, rows)
	if !strings.Contains(out.String(), "2.10–2.60 s") || !strings.Contains(out.String(), "NOT MET") {
		t.Errorf("the table lacks a range or a NOT MET:\n%s", out.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "cache-aside, witness") && (!strings.Contains(line, "0.45–0.60 s") || strings.Count(line, "—") != 2) {
			t.Errorf("a figure without a target prints no target and no mark: %q", line)
		}
	}
	if failed := failures([]byte(sample)); len(failed) != 2 {
		t.Errorf("failures: %q, want the failed benchmark and its package", failed)
	}
}
