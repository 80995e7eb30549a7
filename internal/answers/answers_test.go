package answers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// header builds the start of an answer file.
func header(explanation, directive string) string {
	return "//go:build ignore\n\n// " + explanation + "\n//\n" + directive + "\npackage shop\n"
}

func TestParse(t *testing.T) {
	src := header("Wrong: forgets the tax.", `//dblings:answer failed over=solution assertion="totals" says="tax"`) + `
func Total() int { return 1 }
`
	a, err := Parse("answers/no-tax.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := Expectation{Verdict: Failed, Assertion: "totals", Says: "tax"}
	if a.Name != "no-tax" || a.Explanation != "Wrong: forgets the tax." || a.Expect != want || a.Over != Solution {
		t.Errorf("got %q %q %+v over %q", a.Name, a.Explanation, a.Expect, a.Over)
	}
}

func TestParseRefuses(t *testing.T) {
	ok := header("Right.", "//dblings:answer passed")
	tests := []struct {
		name, src, problem string
	}{
		{"no build line", strings.TrimPrefix(ok, "//go:build ignore\n\n"), `a.go:4: the file must start with "//go:build ignore"`},
		{"other build line", strings.Replace(ok, "ignore", "linux", 1), `a.go:6: the file must start with "//go:build ignore"`},
		{"no comment", "//go:build ignore\n\npackage shop\n", "a.go:3: no comment above the package clause"},
		{"comment apart", "//go:build ignore\n\n// Right.\n//dblings:answer passed\n\npackage shop\n", "a.go:4: the //dblings:answer line must end the comment just above"},
		{"no words", "//go:build ignore\n\n//dblings:answer passed\npackage shop\n", "a.go:3: the comment above the package clause must say in words"},
		{"no directive", "//go:build ignore\n\n// Right.\npackage shop\n", "a.go:4: no //dblings:answer line"},
		{"two directives", header("Right.", "//dblings:answer passed\n//dblings:answer passed"), "a.go:6: a second //dblings:answer line"},
		{"bad directive", header("Right.", "//dblings:answer right"), `a.go:5: "right" is not a verdict`},
		{"over itself", header("Right.", "//dblings:answer passed over=a"), "a.go:5: the answer is laid over itself"},
		{"syntax", ok + "func F( {}\n", "a.go:7: expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("a.go", []byte(tt.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error %q, want one saying %q", err, tt.problem)
			}
		})
	}
}

func TestLoadSortsByName(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.go", "a.go", "c.go"} {
		src := header("Right.", "//dblings:answer passed")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	list, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range list {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, " "); got != "a b c" {
		t.Errorf("answers %q, want a b c", got)
	}
}

func TestLoadReportsEveryBadFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"x.go", "y.go"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("package shop\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "x.go:1") || !strings.Contains(err.Error(), "y.go:1") {
		t.Errorf("error %v, want one naming x.go and y.go", err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing folder: error %v, want ErrNotExist", err)
	}
}
