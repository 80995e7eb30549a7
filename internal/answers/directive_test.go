package answers

import (
	"strings"
	"testing"
)

func TestParseDirective(t *testing.T) {
	tests := []struct {
		line string
		want directive
	}{
		{"//dblings:answer passed", directive{Expectation: Expectation{Verdict: Passed}}},
		{`//dblings:answer failed assertion="no Seq Scan" says="removed 949,977 of them by filter"`,
			directive{Expectation: Expectation{Verdict: Failed, Assertion: "no Seq Scan", Says: "removed 949,977 of them by filter"}}},
		{"//dblings:answer failed assertion=`\"not found\" is not cached` says=\"stays \\\"not found\\\"\"",
			directive{Expectation: Expectation{Verdict: Failed, Assertion: `"not found" is not cached`, Says: `stays "not found"`}}},
		{"//dblings:answer passed over=solution", directive{Expectation: Expectation{Verdict: Passed}, over: "solution"}},
		{`//dblings:answer   failed   over=row-value   says="a b"   assertion=walk`,
			directive{Expectation: Expectation{Verdict: Failed, Assertion: "walk", Says: "a b"}, over: "row-value"}},
		{"//dblings:answer compile-error", directive{Expectation: Expectation{Verdict: "compile-error"}}},
		{`//dblings:answer failed assertion=reused says="not reused" alone="a login per request"`,
			directive{Expectation: Expectation{Verdict: Failed, Assertion: "reused", Says: "not reused"}, alone: "a login per request"}},
		{`//dblings:answer panic says="index out of range"`, directive{Expectation: Expectation{Verdict: "panic", Says: "index out of range"}}},
	}
	for _, tt := range tests {
		got, err := parseDirective(tt.line)
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.line, got, tt.want)
		}
	}
}

func TestParseDirectiveRefuses(t *testing.T) {
	tests := []struct {
		line, problem string
	}{
		{"//dblings:answerpassed", "starts with"},
		{"//dblings:answer", `"" is not a verdict`},
		{"//dblings:answer pass", `"pass" is not a verdict`},
		{`//dblings:answer failed assertion="no Seq Scan"`, "a failed answer gives"},
		{`//dblings:answer failed says="x"`, "a failed answer gives"},
		{`//dblings:answer passed says="x"`, "a passed answer names no"},
		{`//dblings:answer timeout assertion="x"`, "only a failed answer names an assertion"},
		{`//dblings:answer passed reason="x"`, `unknown field "reason"`},
		{`//dblings:answer passed over=a over=b`, "over is given twice"},
		{`//dblings:answer failed assertion="x says="y"`, "a space must follow"},
		{`//dblings:answer failed assertion="x says=y`, "no closing quote"},
		{`//dblings:answer failed assertion= says="y"`, "the value of assertion is empty"},
		{`//dblings:answer failed assertion="" says="y"`, "the value of assertion is empty"},
		{`//dblings:answer passed over`, `"over" is not key=value`},
		{`//dblings:answer passed over=a"b`, "a quote inside a word"},
		{`//dblings:answer failed assertion="\q" says="y"`, "the value of assertion"},
	}
	for _, tt := range tests {
		_, err := parseDirective(tt.line)
		if err == nil || !strings.Contains(err.Error(), tt.problem) {
			t.Errorf("%s: error %v, want one saying %q", tt.line, err, tt.problem)
		}
	}
}
