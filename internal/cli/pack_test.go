package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
)

// examplePack is the lesson pack shipped in the repository.
func examplePack() string { return filepath.Join(testenv.Root(), "examples", "pack") }

func TestAPackAddsItsLessonsAfterTheBuiltInOnes(t *testing.T) {
	for _, how := range []string{"--pack", "dblings.toml"} {
		t.Run(how, func(t *testing.T) {
			ws := lessonWorkspace(t)
			var args []string
			if how == "--pack" {
				args = []string{"--pack", examplePack()}
			} else {
				rel, err := filepath.Rel(ws, examplePack())
				if err != nil {
					t.Fatal(err)
				}
				mustWrite(t, filepath.Join(ws, "dblings.toml"), "packs = ["+`"`+filepath.ToSlash(rel)+`"`+"]\n")
			}
			got := dblings(t, ws, nil, append(args, "list")...)
			if got.code != 0 {
				t.Fatalf("exit %d: %s", got.code, got.errOut)
			}
			last := catalog[len(catalog)-1].ID
			if i, j := strings.Index(got.out, last), strings.Index(got.out, "count-posts"); i < 0 || j < i {
				t.Errorf("list does not show count-posts after %s:\n%s", last, got.out)
			}
			stub := filepath.Join(ws, "exercises", "01-count-posts", "count.go")
			want := readFile(t, filepath.Join(examplePack(), "exercises", "01-count-posts", "count.go"))
			if readFile(t, stub) != want || !strings.Contains(got.errOut, "added exercises/01-count-posts/count.go") {
				t.Errorf("the pack lesson's stub was not added to the workspace (stderr %q)", got.errOut)
			}
			mustWrite(t, stub, "package countposts // mine\n")
			again := dblings(t, ws, nil, append(args, "hint", "count-posts")...)
			if again.code != 0 || !strings.Contains(again.out, "Only the database knows") || readFile(t, stub) != "package countposts // mine\n" {
				t.Errorf("hint: exit %d, %q; the learner's file must stay theirs", again.code, again.out)
			}
		})
	}
}

func TestABrokenPackIsAUsageError(t *testing.T) {
	ws := lessonWorkspace(t)
	for _, args := range [][]string{
		{"--pack", filepath.Join(t.TempDir(), "nowhere"), "list"},
		{"--pack", t.TempDir(), "list"},
	} {
		got := dblings(t, ws, nil, args...)
		if got.code != cli.ExitUsage || !strings.Contains(got.errOut, "lesson pack") {
			t.Errorf("dblings %v: exit %d, stderr %q; want 2 naming the pack", args, got.code, got.errOut)
		}
	}
	mustWrite(t, filepath.Join(ws, "dblings.toml"), "pack = [\"x\"]\n")
	got := dblings(t, ws, nil, "list")
	if got.code != cli.ExitUsage || !strings.Contains(got.errOut, "unknown keys: pack") {
		t.Errorf("a misspelt settings file: exit %d, stderr %q", got.code, got.errOut)
	}
}

// TestVerifyProvesTheExamplePack: its solution passes, its stub fails and
// every answer gets the verdict it declares, built from the pack's files.
func TestVerifyProvesTheExamplePack(t *testing.T) {
	ws := checkout(t)
	got := run(t, ws, append(external(t, 1), "--pack", examplePack(), "verify")...)
	t.Logf("verify --pack:\n%s", got.stdout)
	if got.code != cli.ExitOK {
		t.Fatalf("exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	for _, want := range []string{"count-posts  ✓ passed", "✓ failed", "untouched-stub", "collect-one-row", "two-queries"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("verify lacks %q", want)
		}
	}
	if strings.Contains(got.stdout, catalog[0].ID) {
		t.Error("verify --pack verified the built-in lessons too")
	}
	if _, err := os.Stat(filepath.Join(ws, ".dblings", "state.json")); err == nil {
		t.Error("verify recorded progress")
	}
}
