package run

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// TestPruneKeepsTheRecentAndTheBusy: beyond cachedBinaries, the least
// recently used binaries go, except one another process holds.
func TestPruneKeepsTheRecentAndTheBusy(t *testing.T) {
	c := binaryCache{dir: t.TempDir()}
	const extra = 5
	path := func(i int) string { return filepath.Join(c.dir, fmt.Sprintf("slot%02d.test", i)) }
	old := time.Now().Add(-time.Hour)
	for i := range cachedBinaries + extra {
		if err := os.WriteFile(path(i), []byte("binary"), 0o755); err != nil {
			t.Fatal(err)
		}
		used := old.Add(time.Duration(i) * time.Minute) // slot00 is the least recently used
		if err := os.Chtimes(path(i), used, used); err != nil {
			t.Fatal(err)
		}
	}
	busy := flock.New(filepath.Join(c.dir, "slot00.lock"))
	if ok, err := busy.TryLock(); !ok || err != nil {
		t.Fatal(err)
	}
	defer busy.Unlock()

	c.prune()
	for i := range cachedBinaries + extra {
		_, err := os.Stat(path(i))
		kept := err == nil
		if want := i == 0 || i >= extra; kept != want {
			t.Errorf("slot %d (used %d minutes after the first): kept %t, want %t", i, i, kept, want)
		}
	}
}
