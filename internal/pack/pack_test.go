package pack_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dblings/dblings/internal/pack"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

// example is the pack shipped in the repository.
func example() string { return filepath.Join(testenv.Root(), "examples", "pack") }

func TestTheExamplePackLoads(t *testing.T) {
	p, err := pack.Load(example())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Catalog) != 1 || p.Catalog[0].ID != "count-posts" || p.Catalog[0].Points != 5 {
		t.Fatalf("catalog %+v, want count-posts worth 5", p.Catalog)
	}
	if !strings.Contains(p.Catalog[0].Text(), "# Let the database count") || len(p.Catalog[0].Hints()) != 3 {
		t.Error("the lesson's text and hints are read from the pack")
	}
}

// copyPack copies the example pack to a folder of its own, to break it.
func copyPack(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(example(), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(example(), path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBrokenPacksSayWhat(t *testing.T) {
	lesson := filepath.Join("lessons", "01-count-posts")
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		says  string
	}{
		{"no lessons folder", func(t *testing.T, dir string) { rm(t, dir, "lessons") }, "no lessons/ folder"},
		{"a fixtures folder", func(t *testing.T, dir string) { mkdir(t, dir, "fixtures") }, "data sets built into dblings"},
		{"no solution", func(t *testing.T, dir string) { rm(t, dir, "solutions") }, "the reference solution (solutions/01-count-posts/count.go) is missing"},
		{"no check", func(t *testing.T, dir string) { rm(t, dir, "exercises/01-count-posts/check_test.go") }, "the check (exercises/01-count-posts/check_test.go) is missing"},
		{"an unknown data set", func(t *testing.T, dir string) {
			replaceIn(t, filepath.Join(dir, lesson, "lesson.toml"), `fixture = "blog"`, `fixture = "bogs"`)
		}, "bogs"},
		{"a misspelt key", func(t *testing.T, dir string) {
			replaceIn(t, filepath.Join(dir, lesson, "lesson.toml"), "points  = 5", "pionts = 5")
		}, "unknown keys: pionts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyPack(t)
			tt.spoil(t, dir)
			_, err := pack.Load(dir)
			var bad *pack.Error
			if !errors.As(err, &bad) || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), dir) {
				t.Errorf("Load = %v, want a pack.Error naming the pack and saying %q", err, tt.says)
			}
		})
	}
	if _, err := pack.Load(filepath.Join(t.TempDir(), "nowhere")); err == nil {
		t.Error("a missing folder loads")
	}
}

func TestCatalogRefusesATakenIDOrFolder(t *testing.T) {
	p, err := pack.Load(example())
	if err != nil {
		t.Fatal(err)
	}
	base := lessons.Catalog{{ID: "explain-index", Dir: "01-explain-index"}}
	all, err := pack.Catalog(base, []*pack.Pack{p})
	if err != nil || len(all) != 2 || all[1].ID != "count-posts" {
		t.Fatalf("catalog %v, %v; want the pack's lesson after the built-in one", all, err)
	}
	for _, taken := range []lessons.Lesson{{ID: "count-posts", Dir: "07-other"}, {ID: "other", Dir: "01-count-posts"}} {
		if _, err := pack.Catalog(lessons.Catalog{taken}, []*pack.Pack{p}); err == nil || !strings.Contains(err.Error(), "rename it") {
			t.Errorf("a pack lesson clashing with %+v: %v", taken, err)
		}
	}
}

func TestSourceReadsPackLessonsFromThePack(t *testing.T) {
	p, err := pack.Load(example())
	if err != nil {
		t.Fatal(err)
	}
	base := fstest.MapFS{
		"go.mod":                              {Data: []byte("module github.com/dblings/dblings\n")},
		"checker/check.go":                    {Data: []byte("package checker\n")},
		"exercises/01-explain-index/index.go": {Data: []byte("package explainindex\n")},
		// A learner's copy of the pack lesson's check, in the base tree,
		// must not be what a check is built from.
		"exercises/01-count-posts/check_test.go": {Data: []byte("forged")},
	}
	src := pack.Source(base, []*pack.Pack{p})
	for name, from := range map[string]string{
		"go.mod":                                 "base",
		"checker/check.go":                       "base",
		"exercises/01-explain-index/index.go":    "base",
		"exercises/01-count-posts/check_test.go": "pack",
		"solutions/01-count-posts/count.go":      "pack",
		"lessons/01-count-posts/lesson.toml":     "pack",
	} {
		got, err := fs.ReadFile(src, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, _ := fs.ReadFile(base, name)
		if from == "pack" {
			want, _ = os.ReadFile(filepath.Join(example(), filepath.FromSlash(name)))
		}
		if string(got) != string(want) {
			t.Errorf("%s is not read from the %s", name, from)
		}
	}
	if names, err := fs.Glob(src, "exercises/01-count-posts/*.go"); err != nil || len(names) != 2 {
		t.Errorf("glob in the pack lesson's folder: %v, %v", names, err)
	}
}

func rm(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, rel), 0o755); err != nil {
		t.Fatal(err)
	}
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), old) {
		t.Fatalf("%s: %v, or no %q in it", path, err, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
