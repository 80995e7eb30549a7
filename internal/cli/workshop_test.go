package cli_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/cli"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/sandbox"
)

// checkout is a fresh clone as a learner has it: the module files and every
// lesson's stub and check.
func checkout(t testing.TB) string {
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

// keptShared makes the package's shared servers ws's kept environment, as
// "dblings env up" would, and returns ws. Unlike external's flags, it gives
// the lessons everything the shared servers have, the archiving server
// included, which no URL can describe.
func keptShared(t *testing.T, ws string) string {
	t.Helper()
	if err := sandbox.SaveKept(ws, servers.Get(t)); err != nil {
		t.Fatal(err)
	}
	return ws
}

// external are the flags that point dblings at the package's shared servers.
func external(t *testing.T, need int) []string {
	t.Helper()
	env := servers.Get(t)
	if len(env.Postgres) < need {
		t.Fatalf("the shared environment has %d Postgres servers, the test needs %d", len(env.Postgres), need)
	}
	args := []string{"--env", "external", "--redis-url", env.Redis.URL}
	for _, pg := range env.Postgres {
		args = append(args, "--pg-url", pg.URL)
	}
	if env.Replica != nil { // for the lessons that read from a replica
		args = append(args, "--replica-url", env.Replica.URL)
	}
	return args
}

// lay writes a lesson's reference solution, or the text given, as the
// learner's exercise file.
func lay(t testing.TB, ws string, l lessons.Lesson, content string) {
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
// joins at optimistic-locking: catch-up lays the three earlier solutions in
// well under 30 s, keeps their own file, and the check of
// optimistic-locking passes with its solution. (Any lesson after the first
// proves the same; this one's check is among the quickest, where
// cursor-pagination's costs about 12 s of CPU more.)
func TestLatecomerCatchesUpAndPasses(t *testing.T) {
	ws := checkout(t)
	target := testenv.Lesson(t, "optimistic-locking")
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

// workshopGradeLimit bounds one grade of the whole catalog: six checks, on a
// loaded 2-core machine, with their data loaded once.
const workshopGradeLimit = 20 * time.Minute

// verdicts sums up a results.json for a failure message: each test that
// did not pass, with its message.
func verdicts(t *testing.T, path string) string {
	t.Helper()
	var doc checkedPoints
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &doc)
	}
	if err != nil {
		return fmt.Sprintf("(no results: %v)", err)
	}
	var b strings.Builder
	for _, l := range doc.Lessons {
		fmt.Fprintf(&b, "%s: %s\n", l.ID, l.Verdict)
	}
	for _, test := range doc.Tests {
		if test.Status != "pass" {
			fmt.Fprintf(&b, "  ✗ %s\n", test.Name)
		}
	}
	return b.String()
}

// TestWorkshop is a simulated workshop: five learners at different stages
// are graded, each in their own checkout on the room's servers, and cohort
// over their results.json tells each one's lessons and points as they
// were laid. Two lessons are graded (grade takes lesson ids), which is
// enough for every status a cell of the table can have (passed, failed with
// part of the points, not started, caught up) and for a score that adds up
// over lessons: the quickest checks of the catalog, none of which times a
// baseline. Each learner's grade checks every graded lesson, so a lesson
// more is five checks more: four lessons took 96 s of CPU (three and a half
// minutes of a loaded CI machine), two take 46 s. Grading the whole catalog
// is the same code, longer.
func TestWorkshop(t *testing.T) {
	// It waits on servers more than it computes, and judges no timed
	// answer: it runs beside the package's other such test (t.Parallel),
	// once the short ones are done. The tests whose reference solutions
	// are timed (grade across seeds, verify) run alone.
	t.Parallel()
	var graded lessons.Catalog
	for _, id := range []string{"cache-aside", "migrations"} {
		graded = append(graded, testenv.Lesson(t, id))
	}
	servers := external(t, graded.PostgresServers())
	room := t.TempDir()
	solved := func(ids ...string) func(t *testing.T, ws string) {
		return func(t *testing.T, ws string) {
			for _, id := range ids {
				lay(t, ws, testenv.Lesson(t, id), "")
			}
		}
	}
	l1, l2 := graded[0], graded[1]
	learners := []struct {
		name string
		out  string   // where grade writes, in the room
		args []string // extra grade flags
		lay  func(t *testing.T, ws string)
		want map[string]string // status by lesson; the rest are not started
	}{
		{"ada", "ada.json", nil, solved(graded.IDs()...), map[string]string{
			l1.ID: "passed", l2.ID: "passed"}},
		{"grace", "grace/results.json", nil, solved(l1.ID), map[string]string{
			l1.ID: "passed"}},
		{"linus", "third.json", []string{"--learner", "linus"}, func(t *testing.T, ws string) {
			lay(t, ws, l1, answerFile(t, l1, "no-ttl"))
			lay(t, ws, l2, "")
		}, map[string]string{l1.ID: "failed", l2.ID: "passed"}},
		{"late", "late.json", nil, func(t *testing.T, ws string) {
			if got := run(t, ws, "catch-up", "--yes", l2.ID); got.code != 0 {
				t.Fatalf("catch-up: exit %d\n%s", got.code, got.stderr)
			}
			lay(t, ws, l2, "")
		}, map[string]string{l1.ID: "caught up", l2.ID: "passed"}},
		{"new", "new.json", nil, func(*testing.T, string) {}, map[string]string{}},
	}
	for _, l := range learners {
		ws := checkout(t)
		l.lay(t, ws)
		out := filepath.Join(room, filepath.FromSlash(l.out))
		writeFile(t, out, nil)
		start := time.Now()
		// A long --timeout: on a loaded 2-core machine a check can take
		// minutes, and a timeout is not what this test is about.
		args := append(append(append([]string{}, servers...), "grade", "--seed", "7", "--timeout", "10m", "--format", "json", "--out", out), l.args...)
		args = append(args, graded.IDs()...)
		got := runFor(t, workshopGradeLimit, ws, args...)
		t.Logf("grade of %s: exit %d in %s", l.name, got.code, time.Since(start).Round(time.Second))
		wantCode := cli.ExitFailed // a lesson or more fails
		if l.name == "ada" || l.name == "late" {
			wantCode = cli.ExitOK // caught-up lessons pass: on the reference solution
		}
		if got.code != wantCode {
			t.Fatalf("grade of %s: exit %d, want %d\n%s\n%s", l.name, got.code, wantCode, got.stderr, verdicts(t, out))
		}
	}

	got := run(t, room, "cohort", "--format", "json", room)
	if got.code != 0 {
		t.Fatalf("cohort: exit %d\n%s", got.code, got.stderr)
	}
	var r struct {
		Learners []struct {
			Name    string
			Score   float64
			Lessons map[string]struct {
				Status string
				Score  float64
			}
		}
		Lessons []struct {
			ID    string
			Stuck []struct{ Assertion string }
		}
	}
	if err := json.Unmarshal([]byte(got.stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, got.stdout)
	}
	if len(r.Learners) != len(learners) {
		t.Fatalf("cohort has %d learners, want %d:\n%s", len(r.Learners), len(learners), got.stdout)
	}
	byName := map[string]int{}
	for i, l := range r.Learners {
		byName[l.Name] = i
	}
	for _, want := range learners {
		i, ok := byName[want.name]
		if !ok {
			t.Errorf("cohort has no %s: %v", want.name, byName)
			continue
		}
		row := r.Learners[i]
		total := 0.0
		for _, l := range graded {
			status, ok := want.want[l.ID]
			if !ok {
				status = "not started"
			}
			cell := row.Lessons[l.ID]
			if cell.Status != status {
				t.Errorf("%s, %s: %q, want %q", want.name, l.ID, cell.Status, status)
			}
			switch status {
			case "passed":
				total += float64(l.Points)
				if cell.Score != float64(l.Points) {
					t.Errorf("%s, %s: %v points, want all %d", want.name, l.ID, cell.Score, l.Points)
				}
			case "failed":
				total += cell.Score
				if cell.Score <= 0 || cell.Score >= float64(l.Points) {
					t.Errorf("%s, %s: %v points, want part of %d", want.name, l.ID, cell.Score, l.Points)
				}
			default:
				if cell.Score != 0 {
					t.Errorf("%s, %s (%s): %v points, want none", want.name, l.ID, status, cell.Score)
				}
			}
		}
		if row.Score < total-0.05 || row.Score > total+0.05 {
			t.Errorf("%s: score %v, want %v", want.name, row.Score, total)
		}
	}
	stuck := r.Lessons[0].Stuck
	if !slices.ContainsFunc(stuck, func(s struct{ Assertion string }) bool {
		return strings.Contains(s.Assertion, "expires within 5 minutes")
	}) {
		t.Errorf("the room is stuck on %+v in %s, want linus's cache without a TTL among it", stuck, r.Lessons[0].ID)
	}
	text := run(t, room, "cohort", room)
	t.Logf("cohort:\n%s", text.stdout)
}
