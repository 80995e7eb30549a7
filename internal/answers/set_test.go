package answers

import (
	"errors"
	"strings"
	"testing"
)

func TestFilesLayAnswersOverTheirBases(t *testing.T) {
	stub := "package shop\n\nfunc A() int { return 0 }\n\nfunc B() int { return 0 }\n"
	solution := "package shop\n\nfunc A() int { return 1 }\n\nfunc B() int { return 1 }\n"
	set := []*Answer{
		named(t, "on-stub", "passed", "\nfunc A() int { return 2 }\n"),
		named(t, "on-solution", "passed over=solution", "\nfunc A() int { return 3 }\n"),
		named(t, "on-answer", "passed over=on-solution", "\nfunc B() int { return 4 }\n"),
		named(t, "as-is", "passed over=solution", ""),
	}
	files, err := Files([]byte(stub), []byte(solution), set)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"on-stub":     "package shop\n\nfunc A() int { return 2 }\n\nfunc B() int { return 0 }\n",
		"on-solution": "package shop\n\nfunc A() int { return 3 }\n\nfunc B() int { return 1 }\n",
		"on-answer":   "package shop\n\nfunc A() int { return 3 }\n\nfunc B() int { return 4 }\n",
		"as-is":       solution,
	}
	for name, w := range want {
		if got := string(files[name]); got != w {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, w)
		}
	}
}

func TestFilesRefuse(t *testing.T) {
	tests := []struct {
		name    string
		set     []*Answer
		problem string
	}{
		{"unknown base", []*Answer{named(t, "a", "passed over=b", "")}, "a.go:5: over=b names no answer of the set"},
		{"a loop", []*Answer{named(t, "a", "passed over=b", ""), named(t, "b", "passed over=a", "")}, "over=b leads back to a"},
		{"the reserved name", []*Answer{named(t, Solution, "passed", "")}, `solution.go:6: an answer cannot be named "solution"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Files([]byte("package shop\n"), []byte("package shop\n"), tt.set)
			var me *MergeError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error %v, want a *MergeError saying %q", err, tt.problem)
			}
		})
	}
}

// named parses an answer called name whose directive reads
// "//dblings:answer <directive>".
func named(t *testing.T, name, directive, body string) *Answer {
	t.Helper()
	a, err := Parse("answers/"+name+".go", []byte(header("An answer.", "//dblings:answer "+directive)+body))
	if err != nil {
		t.Fatal(err)
	}
	return a
}
