package sandbox

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dblings/dblings/internal/owner"
)

// TestOwnerRecordWritesTogether: the servers of one environment start in
// parallel and each records itself in owner.json at once; every write must
// succeed and leave a whole record.
func TestOwnerRecordWritesTogether(t *testing.T) {
	le, err := newLocalEnv(localDirPrefix, "/some/workspace")
	if le != nil {
		t.Cleanup(func() { os.RemoveAll(le.dir) })
	}
	if err != nil {
		t.Fatal(err)
	}
	const writers = 64
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			le.mu.Lock()
			le.rec.Processes = append(le.rec.Processes, owner.Owner{PID: 100000 + i})
			le.mu.Unlock()
			errs[i] = le.writeRecord()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	rec, err := readLocalRecord(le.dir)
	if err != nil || len(rec.Processes) != writers || rec.Workspace != "/some/workspace" {
		t.Errorf("owner.json after %d writes: %d processes, workspace %q, %v", writers, len(rec.Processes), rec.Workspace, err)
	}
}

// TestReaperKnowsTheOwnerAtOnce: a directory being made (no owner.json
// yet) is never taken for a crashed one while its maker runs, and is
// removed as soon as its maker is gone.
func TestReaperKnowsTheOwnerAtOnce(t *testing.T) {
	self := owner.Self()
	gone := owner.Owner{PID: self.PID, Started: self.Started - 1, Host: self.Host}
	for _, tt := range []struct {
		name string
		by   owner.Owner
		kept bool
	}{{"its maker runs", self, true}, {"its maker is gone", gone, false}} {
		dir, err := os.MkdirTemp("", localDirPrefix+tt.by.Tag()+"-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.Mkdir(filepath.Join(dir, "pg0"), 0o700); err != nil { // half made: no owner.json
			t.Fatal(err)
		}
		reapLocalDir(dir)
		if _, err := os.Stat(dir); (err == nil) != tt.kept {
			t.Errorf("%s: directory kept %v, want %v", tt.name, err == nil, tt.kept)
		}
	}
}
