package tui

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/fsnotify/fsnotify"

	"github.com/dblings/dblings/lessons"
)

// debounce is how long the watcher waits after the last write before it
// reports a save: editors write a file in several steps (truncate, write,
// rename, chmod), and one save must start one check.
const debounce = 250 * time.Millisecond

// MSG

// fileSavedMsg says that the learner saved a file of the lesson at index.
type fileSavedMsg struct {
	index int
	file  string // base name, for "saved index.go"
}

// MODEL

// watcher reports saves of the exercise files, one message per save.
type watcher struct {
	fs    *fsnotify.Watcher
	dirs  map[string]int // exercise folder → lesson index
	saves chan fileSavedMsg
}

// watch starts watching the exercise folder of every lesson. Folders are
// watched rather than files, because many editors save by writing a new
// file and renaming it over the old one. A lesson whose folder is missing
// from the workspace (a checkout older than this binary) is not watched.
func watch(ctx context.Context, workspace string, ls []lessons.Lesson) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fs: fw, dirs: map[string]int{}, saves: make(chan fileSavedMsg, 4)}
	for i, l := range ls {
		dir := filepath.Join(workspace, "exercises", l.Dir)
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := fw.Add(dir); err != nil {
			fw.Close()
			return nil, err
		}
		w.dirs[dir] = i
	}
	go w.loop(ctx)
	return w, nil
}

// loop collects events until a lesson's files have been quiet for the
// debounce time, then reports the lesson.
func (w *watcher) loop(ctx context.Context) {
	defer close(w.saves)
	pending := map[int]string{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if i, file, ok := w.lessonOf(ev); ok {
				pending[i] = file
				timer.Reset(debounce)
			}
		case _, ok := <-w.fs.Errors:
			if !ok {
				return
			}
		case <-timer.C:
			for i, file := range pending {
				select {
				case w.saves <- fileSavedMsg{index: i, file: file}:
				case <-ctx.Done():
					return
				}
			}
			clear(pending)
		}
	}
}

// lessonOf tells which lesson a change belongs to. Only Go source counts:
// editors' swap and backup files do not start a check.
func (w *watcher) lessonOf(ev fsnotify.Event) (int, string, bool) {
	if !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Rename) {
		return 0, "", false
	}
	name := filepath.Base(ev.Name)
	if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") {
		return 0, "", false
	}
	i, ok := w.dirs[filepath.Dir(ev.Name)]
	return i, name, ok
}

// close stops watching.
func (w *watcher) close() error { return w.fs.Close() }

// COMMANDS

// waitForSave reads the next save; the root re-arms it after each one.
func waitForSave(saves <-chan fileSavedMsg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-saves
		if !ok {
			return nil
		}
		return msg
	}
}
