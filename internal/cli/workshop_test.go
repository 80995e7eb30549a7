package cli_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
)

// checkout is a fresh clone as a learner has it: the module files and every
// lesson's stub and check.
func checkout(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(testenv.Root(), name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ws, name), data)
	}
	err := fs.WalkDir(testenv.Source(), "exercises", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(testenv.Source(), path)
		if err == nil {
			writeFile(t, filepath.Join(ws, filepath.FromSlash(path)), data)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// external are the flags that point dblings at servers a test started.
func external(t *testing.T, servers int) []string {
	t.Helper()
	env := testenv.Start(t, servers)
	args := []string{"--env", "external", "--redis-url", env.Redis.URL}
	for _, pg := range env.Postgres {
		args = append(args, "--pg-url", pg.URL)
	}
	return args
}

// lay writes a lesson's reference solution, or the text given, as the
// learner's exercise file.
func lay(t *testing.T, ws string, l lessons.Lesson, content string) {
	t.Helper()
	if content == "" {
		data, err := fs.ReadFile(testenv.Source(), l.SolutionPath())
		if err != nil {
			t.Fatal(err)
		}
		content = string(data)
	}
	writeFile(t, filepath.Join(ws, filepath.FromSlash(l.ExercisePath())), []byte(content))
}

// TestLatecomerCatchesUpAndPasses: a learner who wrote part of lesson 1
// joins at cursor-pagination: catch-up lays the earlier solutions in well
// under 30 s, keeps their own file, and the check of cursor-pagination
// passes with its solution.
func TestLatecomerCatchesUpAndPasses(t *testing.T) {
	ws := checkout(t)
	target := testenv.Lesson(t, "cursor-pagination")
	own := "package explainindex\n\n// my half of lesson 1\n"
	lay(t, ws, first, own)

	start := time.Now()
	got := run(t, ws, "catch-up", "--yes", target.ID)
	took := time.Since(start)
	t.Logf("catch-up to %s took %s", target.ID, took)
	if got.code != 0 || took > 30*time.Second {
		t.Fatalf("catch-up: exit %d in %s\n%s%s", got.code, took, got.stdout, got.stderr)
	}
	backups, _ := filepath.Glob(filepath.Join(ws, ".dblings", "backup", first.ID+"-*", first.File))
	if len(backups) != 1 || readFile(t, backups[0]) != own {
		t.Errorf("backups %v, want the learner's lesson 1", backups)
	}

	lay(t, ws, target, "")
	start = time.Now()
	check := run(t, ws, append(external(t, target.PostgresServers), "check", target.ID)...)
	t.Logf("the first check of %s after catch-up took %s", target.ID, time.Since(start))
	if check.code != 0 {
		t.Fatalf("check %s: exit %d\n%s%s", target.ID, check.code, check.stdout, check.stderr)
	}
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range catalog[:catalog.Index(target.ID)] {
		if s := p.Lesson(l.ID).Status; s != progress.CaughtUp {
			t.Errorf("%s is %q, want caught up", l.ID, s)
		}
	}
	if s := p.Lesson(target.ID).Status; s != progress.Passed {
		t.Errorf("%s is %q, want passed", target.ID, s)
	}
	if !strings.Contains(got.stdout, "You are on "+target.ID) {
		t.Errorf("catch-up output:\n%s", got.stdout)
	}
}
