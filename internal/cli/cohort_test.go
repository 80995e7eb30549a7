package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
)

// goldenResults is a results.json as grade writes it, from the report
// package's golden file.
func goldenResults(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.Root(), "report", "testdata", "report.json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCohortCommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ada.json"), goldenResults(t))
	writeFile(t, filepath.Join(dir, "grace", "results.json"), goldenResults(t))
	damaged := filepath.Join(t.TempDir(), "bob.json")
	writeFile(t, damaged, []byte(`{"version": 3, "tests": [`))
	ws := lessonWorkspace(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"a folder", []string{dir}, cli.ExitOK, []string{"ada ", "grace ", "13.33/60", "What the room is stuck on"}, ""},
		{"a damaged file is named and skipped", []string{"--format", "md", dir, damaged}, cli.ExitFailed, []string{"| ada |", "| grace |", "## Skipped files", "bob.json"}, "skipped " + damaged + ": damaged"},
		{"csv", []string{"--format", "csv", filepath.Join(dir, "ada.json")}, cli.ExitOK, []string{"learner,lesson,status,score,max_score,failing\nada,explain-index,passed,10,10,"}, ""},
		{"nothing readable", []string{damaged}, cli.ExitFailed, nil, "no results to roll up"},
		{"no arguments", nil, cli.ExitUsage, nil, "needs results files"},
		{"a missing path", []string{filepath.Join(dir, "nope")}, cli.ExitUsage, nil, "no such file"},
		{"an unknown format", []string{"--format", "xlsx", dir}, cli.ExitUsage, nil, "text, md, csv or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dblings(t, ws, nil, append([]string{"cohort"}, tt.args...)...)
			if got.code != tt.code || !strings.Contains(got.errOut, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", got.code, got.errOut, tt.code, tt.stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(got.out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, got.out)
				}
			}
		})
	}
}
