package tui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// One save is one check, however many writes the editor makes; swap files
// and other folders start nothing.
func TestWatchDebouncesSaves(t *testing.T) {
	ws := t.TempDir()
	ls := testLessons()
	// A lesson newer than the workspace has no folder: it is not watched,
	// and the others still are.
	ls = append(ls, testLessons()[0])
	ls[3].Dir = "04-not-in-this-checkout"
	for _, l := range ls[:3] {
		if err := os.MkdirAll(filepath.Join(ws, "exercises", l.Dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := watch(ctx, ws, ls)
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()

	write := func(rel, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(ws, rel), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// An editor's save: a swap file, then the file in several writes.
	write("exercises/02-n-plus-one/.posts.go.swp", "x")
	write("exercises/02-n-plus-one/posts.go~", "x")
	for i := range 5 {
		write("exercises/02-n-plus-one/posts.go", string(rune('a'+i)))
	}
	// An editor that saves by renaming a new file over the old one.
	write("exercises/03-cache-aside/.cache.go.tmp", "package x")
	if err := os.Rename(filepath.Join(ws, "exercises/03-cache-aside/.cache.go.tmp"), filepath.Join(ws, "exercises/03-cache-aside/cache.go")); err != nil {
		t.Fatal(err)
	}

	got := map[int]string{}
	timeout := time.After(3 * time.Second)
	for len(got) < 2 {
		select {
		case s := <-w.saves:
			if _, dup := got[s.index]; dup {
				t.Errorf("lesson %d reported twice for one save", s.index)
			}
			got[s.index] = s.file
		case <-timeout:
			t.Fatalf("saves seen: %v, want lessons 1 and 2", got)
		}
	}
	if got[1] != "posts.go" || got[2] != "cache.go" {
		t.Errorf("saves %v, want posts.go for lesson 1 and cache.go for lesson 2", got)
	}
	select {
	case s := <-w.saves:
		t.Errorf("an extra save was reported: %+v", s)
	case <-time.After(3 * debounce):
	}
}
