package files

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCopy: the copy holds the same bytes with the mode asked for, and an
// existing destination is never overwritten.
func TestCopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	if err := os.WriteFile(src, []byte("check binary"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Copy(src, dst, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil || string(got) != "check binary" {
		t.Errorf("copy holds %q, %v", got, err)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("copy's mode: %v, %v; want 0755", fi, err)
	}
	if err := Copy(src, dst, 0o755); err == nil {
		t.Error("a second copy onto the same file succeeded; want it refused")
	}
}
