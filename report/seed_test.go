package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/report"
)

// seeded is a grade on the variant of seed 1234: one lesson passed, one
// failed, and the failed one as verify's stub run, which no learner
// reproduces with grade.
func seeded(seed uint64) []*run.Result {
	rs := sampleResults()[:2]
	stub := *rs[1]
	stub.Mode = run.Stub
	rs = append(rs, &stub)
	for _, r := range rs {
		r.Seed = seed
	}
	return rs
}

func TestReproduce(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *run.Result
		want string
	}{
		{"a pass needs none", seeded(1234)[0], ""},
		{"a learner's failure", seeded(1234)[1], "dblings grade --seed 1234 cache-aside"},
		{"verify's stub run", seeded(1234)[2], ""},
		{"the fixed data", seeded(0)[1], "dblings grade --seed 0 cache-aside"},
	} {
		if got := report.Reproduce(tc.r); got != tc.want {
			t.Errorf("%s: Reproduce = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestReportsCarryTheSeed: every format says which data the checks ran
// on, and each learner's failure how to run it again on the same data.
func TestReportsCarryTheSeed(t *testing.T) {
	const line = "reproduce: dblings grade --seed 1234 cache-aside"
	for _, tc := range []struct {
		format report.Format
		seed   uint64
		want   []string
		reject []string
	}{
		{report.Text, 1234, []string{"    " + line + "\n"}, []string{"explain-index\n", "--seed 1234 explain-index"}},
		// check runs on the fixed data: its own command line reproduces it.
		{report.Text, 0, nil, []string{"reproduce:"}},
		{report.JUnit, 1234, []string{`<property name="seed" value="1234">`, `<property name="reproduce" value="dblings grade --seed 1234 cache-aside">`},
			[]string{"--seed 1234 explain-index"}},
	} {
		var buf bytes.Buffer
		if err := report.Write(&buf, tc.format, seeded(tc.seed)); err != nil {
			t.Fatal(err)
		}
		for _, s := range tc.want {
			if !strings.Contains(buf.String(), s) {
				t.Errorf("%s, seed %d: the report lacks %q:\n%s", tc.format, tc.seed, s, buf.String())
			}
		}
		for _, s := range tc.reject {
			if strings.Contains(buf.String(), s) {
				t.Errorf("%s, seed %d: the report holds %q:\n%s", tc.format, tc.seed, s, buf.String())
			}
		}
	}
}

func TestJSONCarriesTheSeed(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, report.JSON, seeded(1234)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Seed  *uint64 `json:"seed"`
		Tests []struct {
			Name, Status, Reproduce string
		} `json:"tests"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Seed == nil || *doc.Seed != 1234 {
		t.Errorf("results.json has the seed %v, want 1234", doc.Seed)
	}
	failed := 0
	for _, test := range doc.Tests {
		want := ""
		if test.Status != "pass" && strings.HasPrefix(test.Name, "cache-aside/") && failed < 2 {
			want, failed = "dblings grade --seed 1234 cache-aside", failed+1
		}
		if test.Reproduce != want {
			t.Errorf("%s (%s): reproduce %q, want %q", test.Name, test.Status, test.Reproduce, want)
		}
	}
}
