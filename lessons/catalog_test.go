package lessons_test

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/lessons/witnesses"
)

// sections every lesson text has, in this order, so the lab reads the same
// from lesson to lesson.
var sections = []string{"## Why it matters", "## The situation", "## Your task", "## How it is checked", "## Going further"}

func catalog(t *testing.T) lessons.Catalog {
	t.Helper()
	c, err := lessons.Load(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCatalogContent is the content self-check: every reference a manifest
// makes resolves, every lesson is complete, and nothing outside the
// catalog lies around.
func TestCatalogContent(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range catalog(t) {
		seen[l.Dir] = true
		t.Run(l.ID, func(t *testing.T) {
			if _, err := fixtures.Lookup(l.Fixture); err != nil {
				t.Errorf("lesson.toml: %v", err)
			}
			requireSections(t, l.Text())
			if n := len(l.Hints()); n < 3 {
				t.Errorf("%d hints, want at least 3", n)
			}
			stub := readFile(t, filepath.Join("..", l.ExercisePath()))
			if !strings.Contains(stub, "TODO") {
				t.Errorf("%s has no TODO telling the learner what to do", l.ExercisePath())
			}
			if pkg(t, filepath.Join("..", l.SolutionPath())) != pkg(t, filepath.Join("..", l.ExercisePath())) {
				t.Errorf("the solution's package differs from the stub's")
			}
			check := readFile(t, filepath.Join("..", "exercises", l.Dir, "check_test.go"))
			if !strings.HasPrefix(check, "//go:build dblings") {
				t.Errorf("check_test.go must start with //go:build dblings")
			}
			requireCheckPackage(t, l, check)
			if _, ok := witnesses.For(l.ID); !ok {
				t.Errorf("no second witness: write lessons/%s/witness.go and add its line to lessons/witnesses/witnesses.go (docs/AUTHORING.md)", l.Dir)
			}
		})
	}
	for _, root := range []string{"../exercises", "../solutions", "."} {
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			if e.IsDir() && !seen[e.Name()] && !(root == "." && e.Name() == "witnesses") {
				t.Errorf("%s/%s is not a lesson of the catalog (no lessons/%s/lesson.toml)", root, e.Name(), e.Name())
			}
		}
	}
}

// TestReadmeListsTheCatalog keeps the README's lesson list generated.
// requireCheckPackage: the check's logic is the package lessons/<dir>/check
// (compiled once and cached), and check_test.go a shim that hands it the
// learner's code: short, and importing it.
func requireCheckPackage(t *testing.T, l lessons.Lesson, shim string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(l.Dir, "check", "*.go"))
	if len(files) == 0 {
		t.Errorf("lessons/%s/check must hold the check's logic, in package check (docs/AUTHORING.md)", l.Dir)
	}
	for _, f := range files {
		if name := pkg(t, f); name != "check" {
			t.Errorf("%s is package %s, want check", f, name)
		}
	}
	if !strings.Contains(shim, `"github.com/dblings/dblings/lessons/`+l.Dir+`/check"`) {
		t.Errorf("exercises/%s/check_test.go must hand the learner's code to lessons/%s/check", l.Dir, l.Dir)
	}
	if lines := strings.Count(shim, "\n"); lines > maxShimLines {
		t.Errorf("exercises/%s/check_test.go has %d lines; keep it a shim of at most %d (conversions only) and put the logic in lessons/%s/check, where it compiles once", l.Dir, lines, maxShimLines, l.Dir)
	}
}

// maxShimLines bounds check_test.go: everything in it recompiles with every
// edit the learner makes.
const maxShimLines = 80

func TestReadmeListsTheCatalog(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := lessons.UpdateReadme(readme, catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readme, want) {
		t.Errorf("the README's lesson list differs from the catalog; it should read:\n%s", catalog(t).Table())
	}
}

func TestLoadRefusesBadManifests(t *testing.T) {
	const good = "id = \"x-y\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n[servers]\npostgres = 1\n"
	tests := []struct {
		name, dir, manifest, says string
	}{
		{"missing", "01-x-y", "", "lessons/01-x-y/lesson.toml: missing"},
		{"not TOML", "01-x-y", "id = ", "lessons/01-x-y/lesson.toml"},
		{"misspelled key", "01-x-y", "fixtrue = \"blog\"\n" + good, "unknown keys: fixtrue"},
		{"folder not after the id", "01-other", good, "must be named <number>-x-y"},
		{"bad id", "01-X", strings.Replace(good, `"x-y"`, `"X"`, 1), "lower-case words"},
		{"test file as exercise", "01-x-y", strings.Replace(good, `"x.go"`, `"x_test.go"`, 1), "exercise's Go file"},
		{"no servers", "01-x-y", strings.Replace(good, "postgres = 1", "postgres = 0", 1), "servers.postgres"},
		{"no fixture", "01-x-y", strings.Replace(good, `fixture = "blog"`, "", 1), "fixture is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := fstest.MapFS{tt.dir + "/lesson.md": {Data: []byte("# T\n")}}
			if tt.manifest != "" {
				tree[tt.dir+"/lesson.toml"] = &fstest.MapFile{Data: []byte(tt.manifest)}
			}
			_, err := lessons.Load(tree)
			var bad *lessons.ManifestError
			if !errors.As(err, &bad) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("Load = %v, want a ManifestError saying %q", err, tt.says)
			}
		})
	}
}

func TestLoadKeepsFolderOrder(t *testing.T) {
	manifest := func(id string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("id = \"" + id + "\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n[servers]\npostgres = 2\n")}
	}
	c, err := lessons.Load(fstest.MapFS{"02-b/lesson.toml": manifest("b"), "01-a/lesson.toml": manifest("a"), "notes/x.md": {}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.IDs(), ","); got != "a,b" {
		t.Errorf("ids %s, want a,b", got)
	}
	if c.PostgresServers() != 2 {
		t.Errorf("servers %d, want 2", c.PostgresServers())
	}
}

func TestFindUnknownListsIDs(t *testing.T) {
	c := catalog(t)
	_, err := c.Find("explain-indexes")
	var unknown *lessons.UnknownLessonError
	if !errors.As(err, &unknown) {
		t.Fatalf("got %v, want an UnknownLessonError", err)
	}
	for _, id := range c.IDs() {
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
