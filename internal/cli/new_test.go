package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/answers"
	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

// authoringCheckout copies what "dblings new" reads and what a check
// compiles against into a temporary folder: a checkout of the repository,
// as far as a lesson author's work goes.
func authoringCheckout(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	root := testenv.Root()
	for _, dir := range []string{"lessons", "exercises", "solutions", "checker", "fixtures", "witness"} {
		if err := os.CopyFS(filepath.Join(ws, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatal(err)
		}
	}
	for _, file := range []string{"README.md", "go.mod", "go.sum"} {
		mustWrite(t, filepath.Join(ws, file), readFile(t, filepath.Join(root, file)))
	}
	return ws
}

// tree lists every file and folder under root with its content, to show
// that a refused command wrote nothing.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			files[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestNewScaffoldsALessonThatLoadsAndCompiles(t *testing.T) {
	ws := authoringCheckout(t)
	got := dblings(t, ws, nil, "new", "read-replicas", "--title", `Read replicas: "spread" the reads`, "--postgres", "2", "--redis")
	if got.code != cli.ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", got.code, got.errOut)
	}
	dir := fmt.Sprintf("%02d-read-replicas", len(catalog)+1)
	created := []string{
		"lessons/" + dir + "/lesson.toml",
		"lessons/" + dir + "/lesson.md",
		"lessons/" + dir + "/hints.md",
		"lessons/" + dir + "/answers/collect-one-row.go",
		"lessons/" + dir + "/answers/untouched-stub.go",
		"exercises/" + dir + "/replicas.go",
		"exercises/" + dir + "/check_test.go",
		"lessons/" + dir + "/check/check.go",
		"solutions/" + dir + "/replicas.go",
		"lessons/" + dir + "/witness.go",
	}
	for _, p := range created {
		if _, err := os.Stat(filepath.Join(ws, p)); err != nil {
			t.Errorf("%s was not created: %v", p, err)
		}
		if !strings.Contains(got.out, p) {
			t.Errorf("the output does not list %s:\n%s", p, got.out)
		}
	}
	for _, step := range []string{"TODO(author)", "make build", "dblings verify", "./internal/lessontest/", "docs/AUTHORING.md"} {
		if !strings.Contains(got.out, step) {
			t.Errorf("the next steps do not mention %s:\n%s", step, got.out)
		}
	}

	l := requireScaffoldedLesson(t, ws, "read-replicas")
	if l.Dir != dir || l.Title != `Read replicas: "spread" the reads` || l.File != "replicas.go" || l.Fixture != "blog" ||
		l.PostgresServers != 2 || !l.Redis || l.Minutes < 1 || len(l.Teaches) == 0 || l.Points != lessons.DefaultPoints {
		t.Errorf("the manifest reads %+v", l)
	}
	if pkg := packageName(t, filepath.Join(ws, l.ExercisePath())); pkg != "readreplicas" {
		t.Errorf("the stub is package %s, want readreplicas", pkg)
	}
	requireCompiles(t, ws, l)
	requireWitnessRegistered(t, ws, l)
}

// requireWitnessRegistered: the scaffold's witness is in the registry, and
// the registry builds with it.
func requireWitnessRegistered(t *testing.T, ws string, l lessons.Lesson) {
	t.Helper()
	registry := readFile(t, filepath.Join(ws, "lessons", "witnesses", "witnesses.go"))
	entry := regexp.MustCompile(fmt.Sprintf(`%q:\s+%s\.Witness,`, l.ID, packageName(t, filepath.Join(ws, l.ExercisePath()))))
	if !entry.MatchString(registry) {
		t.Errorf("the witness of %s is not registered:\n%s", l.ID, registry)
	}
	vet := exec.Command("go", "vet", "-trimpath", "./lessons/...")
	vet.Dir, vet.Env = ws, append(os.Environ(), "GOWORK=off")
	if out, err := vet.CombinedOutput(); err != nil {
		t.Errorf("go vet ./lessons/... after new: %v\n%s", err, out)
	}
}

func TestNewDefaultsAndAKeywordID(t *testing.T) {
	ws := authoringCheckout(t)
	got := dblings(t, ws, nil, "new", "select", "--fixture", "shop-shards")
	if got.code != cli.ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", got.code, got.errOut)
	}
	l := requireScaffoldedLesson(t, ws, "select")
	if l.Title != "Select" || l.File != "select.go" || l.Fixture != "shop-shards" || l.PostgresServers != 1 || l.Redis {
		t.Errorf("the manifest reads %+v", l)
	}
	// "select" is a Go keyword: the package needs another name.
	if pkg := packageName(t, filepath.Join(ws, l.ExercisePath())); pkg != "selectlesson" {
		t.Errorf("the stub is package %s, want selectlesson", pkg)
	}
	// shop-shards starts empty, so the example counts tables, not rows.
	if !strings.Contains(readFile(t, filepath.Join(ws, l.ExercisePath())), "func CountTables(") {
		t.Errorf("the stub of an empty fixture should count its tables")
	}
	requireCompiles(t, ws, l)
}

// requireScaffoldedLesson loads the checkout's catalog and holds the new
// lesson to the rules the content test holds every lesson to.
func requireScaffoldedLesson(t *testing.T, ws, id string) lessons.Lesson {
	t.Helper()
	c, err := lessons.Load(os.DirFS(filepath.Join(ws, "lessons")))
	if err != nil {
		t.Fatalf("the catalog does not load: %v", err)
	}
	if len(c) != len(catalog)+1 || c[len(c)-1].ID != id {
		t.Fatalf("the catalog is %v, want the repository's lessons and then %s", c.IDs(), id)
	}
	l := c[len(c)-1]
	text := l.Text()
	if !strings.HasPrefix(text, "# "+l.Title+"\n") {
		t.Errorf("lesson.md does not start with its title:\n%s", text)
	}
	at := 0
	for _, s := range []string{"## Why it matters", "## The situation", "## Your task", "## How it is checked", "## Going further"} {
		i := strings.Index(text[at:], "\n"+s+"\n")
		if i < 0 {
			t.Errorf("lesson.md: section %q missing or out of order", s)
			continue
		}
		at += i + 1
	}
	if n := len(l.Hints()); n < 3 {
		t.Errorf("%d hints, want at least 3", n)
	}
	stub := readFile(t, filepath.Join(ws, l.ExercisePath()))
	if !strings.Contains(stub, "TODO") {
		t.Errorf("the stub has no TODO:\n%s", stub)
	}
	if s, e := packageName(t, filepath.Join(ws, l.SolutionPath())), packageName(t, filepath.Join(ws, l.ExercisePath())); s != e {
		t.Errorf("the solution is package %s, the stub %s", s, e)
	}
	if !strings.Contains(readFile(t, filepath.Join(ws, l.SolutionPath())), "TODO(author)") {
		t.Errorf("the solution does not say the author has to fill it in")
	}
	if check := readFile(t, filepath.Join(ws, "exercises", l.Dir, "check_test.go")); !strings.HasPrefix(check, "//go:build dblings\n") {
		t.Errorf("check_test.go does not start with //go:build dblings")
	}
	readme := []byte(readFile(t, filepath.Join(ws, "README.md")))
	want, err := lessons.UpdateReadme(readme, c)
	if err != nil || !bytes.Equal(readme, want) {
		t.Errorf("the README's lesson list is not the catalog's (%v); it should read:\n%s", err, c.Table())
	}
	if !strings.Contains(string(readme), "| `"+id+"` | "+l.Title+" |") {
		t.Errorf("the README does not list %s", id)
	}
	requireExampleAnswers(t, ws, l)
	return l
}

// requireExampleAnswers reads the answer set in the answers package's
// format: one right and one wrong example.
func requireExampleAnswers(t *testing.T, ws string, l lessons.Lesson) {
	t.Helper()
	set, err := answers.LoadSet(filepath.Join(ws, answers.Dir(l.Dir)), filepath.Join(ws, l.ExercisePath()), filepath.Join(ws, l.SolutionPath()))
	if err != nil {
		t.Fatalf("the answers do not load: %v", err)
	}
	verdicts := map[string]int{}
	for _, a := range set.Answers {
		verdicts[a.Expect.Verdict]++
		if a.Expect.Verdict == answers.Failed && !strings.Contains(a.Explanation, "Wrong:") {
			t.Errorf("%s: a wrong answer's comment should say so: %q", a.Name, a.Explanation)
		}
	}
	if verdicts[answers.Passed] != 1 || verdicts[answers.Failed] != 1 || len(set.Answers) != 2 {
		t.Errorf("answers %v, want one passed and one failed example", verdicts)
	}
}

// requireCompiles vets the lesson's package with its check, as the stub,
// as the reference solution and as each example answer.
func requireCompiles(t *testing.T, ws string, l lessons.Lesson) {
	t.Helper()
	exercise := filepath.Join(ws, l.ExercisePath())
	stub := readFile(t, exercise)
	set, err := answers.LoadSet(filepath.Join(ws, answers.Dir(l.Dir)), exercise, filepath.Join(ws, l.SolutionPath()))
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]string{"the stub": stub, "the solution": readFile(t, filepath.Join(ws, l.SolutionPath()))}
	for name, content := range set.Files {
		if string(content) != stub {
			versions["answer "+name] = string(content)
		}
	}
	for name, content := range versions {
		mustWrite(t, exercise, content)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		// -trimpath, as checks are built: the checkout's copy of checker
		// is then the cached one, not compiled again for a new folder.
		vet := exec.CommandContext(ctx, "go", "vet", "-trimpath", "-tags", "dblings", l.Package()+"/")
		vet.Dir, vet.Env = ws, append(os.Environ(), "GOWORK=off")
		out, err := vet.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("go vet -tags dblings %s with %s: %v\n%s", l.Package(), name, err, out)
		}
	}
	mustWrite(t, exercise, stub)
}

func packageName(t *testing.T, path string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	return f.Name.Name
}

func TestNewRefusesAndWritesNothing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, ws string)
		args  []string
		code  int
		says  string
	}{
		{name: "no id", args: []string{"new"}, code: cli.ExitUsage, says: "takes one lesson id"},
		{name: "two ids", args: []string{"new", "a", "b"}, code: cli.ExitUsage, says: "takes one lesson id"},
		{name: "taken id", args: []string{"new", first.ID}, code: cli.ExitUsage, says: `already a lesson "` + first.ID + `" (lessons/` + first.Dir + ")"},
		{name: "capitals", args: []string{"new", "Read-Replicas"}, code: cli.ExitUsage, says: "lower-case words joined by hyphens"},
		{name: "underscore", args: []string{"new", "read_replicas"}, code: cli.ExitUsage, says: "lower-case words joined by hyphens"},
		{name: "trailing hyphen", args: []string{"new", "read-"}, code: cli.ExitUsage, says: "lower-case words joined by hyphens"},
		{name: "unknown fixture", args: []string{"new", "x-y", "--fixture", "blogg"}, code: cli.ExitUsage, says: `no fixture called "blogg"; the fixtures are: accounts, bakery, blog`},
		{name: "test file", args: []string{"new", "x-y", "--file", "x_test.go"}, code: cli.ExitUsage, says: "no underscore"},
		{name: "file in a folder", args: []string{"new", "x-y", "--file", "sub/x.go"}, code: cli.ExitUsage, says: "no folders"},
		{name: "not Go", args: []string{"new", "x-y", "--file", "x.txt"}, code: cli.ExitUsage, says: "must be a Go file name"},
		{name: "no servers", args: []string{"new", "x-y", "--postgres", "0"}, code: cli.ExitUsage, says: "at least 1 Postgres server"},
		{name: "empty title", args: []string{"new", "x-y", "--title", "  "}, code: cli.ExitUsage, says: "--title is empty"},
		{name: "title breaks the table", args: []string{"new", "x-y", "--title", "a | b"}, code: cli.ExitUsage, says: "README's lesson table"},
		{name: "two-line title", args: []string{"new", "x-y", "--title", "a\nb"}, code: cli.ExitUsage, says: "one line"},
		{
			name: "stray folder",
			setup: func(t *testing.T, ws string) {
				mustWrite(t, filepath.Join(ws, "solutions", "42-ghost", "ghost.go"), "package ghost\n")
			},
			args: []string{"new", "ghost"}, code: cli.ExitUsage, says: "solutions/42-ghost exists already",
		},
		{
			name:  "no lessons folder",
			setup: func(t *testing.T, ws string) { os.RemoveAll(filepath.Join(ws, "lessons")) },
			args:  []string{"new", "x-y"}, code: cli.ExitUsage, says: "no lessons/ folder",
		},
		{
			name: "README without a lesson list",
			setup: func(t *testing.T, ws string) {
				mustWrite(t, filepath.Join(ws, "README.md"), "# dblings\n")
			},
			args: []string{"new", "x-y"}, code: cli.ExitFailed, says: "the README has no lesson list",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := authoringCheckout(t)
			if tt.setup != nil {
				tt.setup(t, ws)
			}
			before := tree(t, ws)
			got := dblings(t, ws, nil, tt.args...)
			if got.code != tt.code || !strings.Contains(got.errOut, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d and %q", got.code, got.errOut, tt.code, tt.says)
			}
			after := tree(t, ws)
			for p, content := range after {
				if old, ok := before[p]; !ok || old != content {
					t.Errorf("%s was written", p)
				}
			}
			if len(after) != len(before) {
				t.Errorf("%d files and folders before, %d after", len(before), len(after))
			}
		})
	}
}
