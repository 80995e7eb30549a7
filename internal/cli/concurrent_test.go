package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
)

// TestConcurrentChecksAllRecorded: four "dblings check" at once in one
// workspace, on one "env up" environment, and every verdict is in
// state.json. Two lessons carry their reference solution and pass; two
// carry the stub and fail, so that the passes do not hang on the timing of
// four checks sharing two cores. (The lab's side, a Progress opened before
// and written after, is progress's TestAnOpenLabSeesAndKeepsAnotherProcesssPass.)
func TestConcurrentChecksAllRecorded(t *testing.T) {
	testenv.RequireLocal(t)
	ws := workspace(t)
	want := map[string]progress.Status{
		"cache-aside": progress.Passed, "optimistic-locking": progress.Passed,
		"explain-index": progress.Failed, "batching": progress.Failed,
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(testenv.Root(), name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ws, name), data)
	}
	var ids []string
	for id, status := range want {
		l := testenv.Lesson(t, id)
		from := l.ExercisePath()
		if status == progress.Passed {
			from = l.SolutionPath()
		}
		layFile(t, ws, from, l)
		ids = append(ids, id)
	}
	envUp(t, ws, "local")

	codes := make([]int, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			cmd := exec.Command(binary, "check", id)
			cmd.Dir = ws
			out, err := cmd.CombinedOutput()
			codes[i] = cmd.ProcessState.ExitCode()
			if err != nil && cmd.ProcessState == nil {
				t.Errorf("check %s: %v", id, err)
			}
			t.Logf("check %s: exit %d\n%s", id, codes[i], out)
		})
	}
	wg.Wait()
	for i, id := range ids {
		if wantCode := map[progress.Status]int{progress.Passed: 0, progress.Failed: 1}[want[id]]; codes[i] != wantCode {
			t.Errorf("check %s: exit %d, want %d", id, codes[i], wantCode)
		}
	}
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	for id, status := range want {
		if got := p.Lesson(id).Status; got != status {
			t.Errorf("state.json has %s %q, want %q", id, got, status)
		}
	}
}

// layFile copies a file of the repository to the lesson's exercise file in ws.
func layFile(t *testing.T, ws, from string, l lessons.Lesson) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.Root(), from))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(ws, l.ExercisePath()), data)
}
