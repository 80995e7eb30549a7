package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dblings/dblings/internal/answers"
	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

func TestLearnerNameIsChecked(t *testing.T) {
	ws := lessonWorkspace(t)
	for _, name := range []string{" ada", "ada\nbob", strings.Repeat("a", 101)} {
		got := dblings(t, ws, nil, "grade", "--learner", name)
		if got.code != cli.ExitUsage || !strings.Contains(got.errOut, "--learner") {
			t.Errorf("--learner %q: exit %d, stderr %q; want 2", name, got.code, got.errOut)
		}
	}
}

// answerFile is a lesson's answer laid over its base, as the answers test
// lays it.
func answerFile(t testing.TB, l lessons.Lesson, name string) string {
	t.Helper()
	root := testenv.Root()
	set, err := answers.LoadSet(filepath.Join(root, answers.Dir(l.Dir)), filepath.Join(root, l.ExercisePath()), filepath.Join(root, l.SolutionPath()))
	if err != nil {
		t.Fatal(err)
	}
	file, ok := set.Files[name]
	if !ok {
		t.Fatalf("%s has no answer %s", l.ID, name)
	}
	return string(file)
}

// checkedPoints is what a results.json says of one lesson.
type checkedPoints struct {
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	Learner  string  `json:"learner"`
	Lessons  []struct {
		ID       string  `json:"id"`
		Verdict  string  `json:"verdict"`
		CaughtUp bool    `json:"caught_up"`
		Score    float64 `json:"score"`
		MaxScore float64 `json:"max_score"`
	} `json:"lessons"`
	Tests []struct {
		Name     string  `json:"name"`
		Status   string  `json:"status"`
		Score    float64 `json:"score"`
		MaxScore float64 `json:"max_score"`
	} `json:"tests"`
}

// TestPartialCredit: an index on author_id alone gets the plan right and
// leaves a Sort: the lesson fails and earns the share of the assertions
// that held.
func TestPartialCredit(t *testing.T) {
	ws := checkout(t)
	lay(t, ws, first, answerFile(t, first, "author-only"))
	got := run(t, ws, append(external(t, first.PostgresServers), "check", "--format", "json", first.ID)...)
	if got.code != cli.ExitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", got.code, got.stdout, got.stderr)
	}
	var doc checkedPoints
	if err := json.Unmarshal([]byte(got.stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, got.stdout)
	}
	max := float64(first.Points)
	if doc.MaxScore != max || doc.Score <= 0 || doc.Score >= max {
		t.Fatalf("score %v/%v, want part of %v", doc.Score, doc.MaxScore, max)
	}
	sum, earned := 0.0, 0.0
	for _, test := range doc.Tests {
		sum += test.MaxScore
		if test.Status == "pass" {
			earned += test.Score
		} else if test.Score != 0 {
			t.Errorf("%s failed and earned %v", test.Name, test.Score)
		}
	}
	if sum < max-0.05 || sum > max+0.05 || earned < doc.Score-0.05 || earned > doc.Score+0.05 {
		t.Errorf("tests share %v of %v and earn %v of %v", sum, max, earned, doc.Score)
	}
	t.Logf("author-only earns %v of %v", doc.Score, doc.MaxScore)
}
