package lessons_test

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dblings/dblings/lessons"
)

// sections every lesson text has, in this order, so the lab reads the same
// from lesson to lesson.
var sections = []string{"## Why it matters", "## The situation", "## Your task", "## How it is checked", "## Going further"}

// TestCatalogContent is the content self-check: every lesson in the catalog
// is complete, and nothing outside it lies around.
func TestCatalogContent(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range lessons.Catalog() {
		t.Run(l.ID, func(t *testing.T) {
			if seen[l.ID] || seen[l.Dir] {
				t.Fatalf("duplicate id or folder %s / %s", l.ID, l.Dir)
			}
			seen[l.ID], seen[l.Dir] = true, true
			requireSections(t, l.Text())
			if n := len(l.Hints()); n < 3 {
				t.Errorf("%d hints, want at least 3", n)
			}
			stub := readFile(t, filepath.Join("..", l.ExercisePath()))
			if !strings.Contains(stub, "TODO") {
				t.Errorf("%s has no TODO telling the learner what to do", l.ExercisePath())
			}
			solution := filepath.Join("..", "solutions", l.Dir, l.File)
			if pkg(t, solution) != pkg(t, filepath.Join("..", l.ExercisePath())) {
				t.Errorf("the solution's package differs from the stub's")
			}
			check := readFile(t, filepath.Join("..", "exercises", l.Dir, "check_test.go"))
			if !strings.HasPrefix(check, "//go:build dblings") {
				t.Errorf("check_test.go must start with //go:build dblings")
			}
		})
	}
	for _, root := range []string{"../exercises", "../solutions", "."} {
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			if e.IsDir() && !seen[e.Name()] {
				t.Errorf("%s/%s is not in the catalog", root, e.Name())
			}
		}
	}
}

func TestFindUnknownListsIDs(t *testing.T) {
	_, err := lessons.Find("explain-indexes")
	var unknown *lessons.UnknownLessonError
	if !errors.As(err, &unknown) {
		t.Fatalf("got %v, want an UnknownLessonError", err)
	}
	for _, id := range lessons.IDs() {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("the error does not list %s: %v", id, err)
		}
	}
}

func requireSections(t *testing.T, text string) {
	t.Helper()
	if !strings.HasPrefix(text, "# ") {
		t.Errorf("the text does not start with a title")
	}
	at := 0
	for _, s := range sections {
		i := strings.Index(text[at:], "\n"+s+"\n")
		if i < 0 {
			t.Errorf("section %q missing or out of order", s)
			continue
		}
		at += i + 1
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pkg(t *testing.T, path string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	return f.Name.Name
}
