package answers_test

import (
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dblings/dblings/internal/answers"
	"github.com/dblings/dblings/internal/testenv"
)

// Enough answers that a lesson's check is proven from both sides: right
// answers other than the reference solution, so the check does not demand
// one way of writing it, and wrong answers, so it catches each mistake.
const (
	minRight = 2
	minWrong = 5
)

// TestEveryLessonHasAnAnswerSet needs no servers: it reads every lesson's
// answers, lays each over its base and counts them.
func TestEveryLessonHasAnAnswerSet(t *testing.T) {
	root := testenv.Root()
	for _, l := range testenv.Catalog(t) {
		t.Run(l.ID, func(t *testing.T) {
			solutionPath := filepath.Join(root, l.SolutionPath())
			set, err := answers.LoadSet(filepath.Join(root, answers.Dir(l.Dir)), filepath.Join(root, l.ExercisePath()), solutionPath)
			if err != nil {
				t.Fatal(err)
			}
			solution, err := os.ReadFile(solutionPath)
			if err != nil {
				t.Fatal(err)
			}
			right, wrong := 0, 0
			for _, a := range set.Answers {
				file := set.Files[a.Name]
				if _, err := parser.ParseFile(token.NewFileSet(), a.Path, file, parser.AllErrors); err != nil {
					t.Errorf("%s does not merge into Go: %v", a.Name, err)
				}
				switch {
				case a.Expect.Verdict != answers.Passed:
					wrong++
				case tokens(file) != tokens(solution):
					right++
				}
			}
			if right < minRight || wrong < minWrong {
				t.Errorf("%d right answers besides the reference solution and %d wrong ones; want at least %d and %d", right, wrong, minRight, minWrong)
			}
		})
	}
}

// tokens is a Go file's code without comments or layout, to tell the
// reference solution from an answer that only differs from it in words.
func tokens(src []byte) string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	var b strings.Builder
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return b.String()
		}
		if tok == token.SEMICOLON {
			lit = ";" // an inserted semicolon says "\n"
		}
		b.WriteString(tok.String() + lit + " ")
	}
}
