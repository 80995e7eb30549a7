package cli_test

import (
	"strings"
	"testing"

	"github.com/dblings/dblings/internal/testenv"
)

// TestLibraryLogsStayOffTheTerminal: a Redis that does not answer makes
// go-redis log "connection pool: failed to dial" from inside its pool; the
// learner must get dblings' own message only.
func TestLibraryLogsStayOffTheTerminal(t *testing.T) {
	env := testenv.Start(t, 1)
	ws := lessonWorkspace(t)
	got := run(t, ws, "--env", "external", "--pg-url", env.Postgres[0].URL, "--redis-url", "redis://127.0.0.1:1/0", "check", "--workspace", ws, first.ID)
	if got.code != 3 {
		t.Errorf("exit %d, want 3 (no servers)\n%s", got.code, got.stderr)
	}
	if strings.Contains(got.stderr, "connection pool") || strings.Contains(got.stderr, "pool.go") {
		t.Errorf("go-redis's own log reached the terminal:\n%s", got.stderr)
	}
	if !strings.Contains(got.stderr, "could not start the database servers") {
		t.Errorf("stderr lacks dblings' own message:\n%s", got.stderr)
	}
}
