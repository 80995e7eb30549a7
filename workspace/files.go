package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/renameio/v2"

	"github.com/dblings/dblings/lessons"
)

// File is one file of a lesson: its workspace-relative slash path and its
// content.
type File struct {
	Path    string
	Content []byte
}

// MissingExerciseError says that the file a learner edits is gone.
type MissingExerciseError struct {
	Lesson lessons.Lesson
}

func (e *MissingExerciseError) Error() string {
	return fmt.Sprintf("%s is missing; `dblings reset %s` brings back the original stub", e.Lesson.ExercisePath(), e.Lesson.ID)
}

// RequireExercise fails with a *MissingExerciseError when the learner's
// exercise file is not there.
func (w *Workspace) RequireExercise(l lessons.Lesson) error {
	if _, err := os.Stat(w.path(l.ExercisePath())); errors.Is(err, fs.ErrNotExist) {
		return &MissingExerciseError{Lesson: l}
	}
	return nil
}

// Stub is the pristine stub of l: every file the learner may edit, check
// files left out.
func (w *Workspace) Stub(l lessons.Lesson) ([]File, error) {
	return w.pristine(l, "exercises")
}

// Solution is the reference solution of l, one or more files laid where
// the stub's files are.
func (w *Workspace) Solution(l lessons.Lesson) ([]File, error) {
	return w.pristine(l, "solutions")
}

// pristine reads a lesson's files of one tree (exercises or solutions) from
// the sources built into dblings, with their paths in exercises/.
func (w *Workspace) pristine(l lessons.Lesson, tree string) ([]File, error) {
	names, err := fs.Glob(w.source, path.Join(tree, l.Dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue // check files are never the learner's to edit or reset
		}
		content, err := fs.ReadFile(w.source, name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: path.Join("exercises", l.Dir, path.Base(name)), Content: content})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("this dblings has no %s/%s built in", tree, l.Dir)
	}
	return files, nil
}

// Differing lists the files of want that the workspace holds with other
// content, or not at all.
func (w *Workspace) Differing(want []File) ([]File, error) {
	var out []File
	for _, f := range want {
		current, err := os.ReadFile(w.path(f.Path))
		if err == nil && bytes.Equal(current, f.Content) {
			continue
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Written is what Lay wrote: the files, and the backup of the learner's
// versions, relative to the workspace ("" when nothing needed keeping).
type Written struct {
	Files  []string
	Backup string
}

// Reset puts l's exercise back to the original stub: the files that
// differ are backed up, then rewritten.
func (w *Workspace) Reset(l lessons.Lesson) (Written, error) {
	stub, err := w.Stub(l)
	if err != nil {
		return Written{}, err
	}
	return w.Lay(l, stub)
}

// LaySolution writes l's reference solution over the learner's files,
// after backing them up: how a latecomer catches up to a later lesson.
func (w *Workspace) LaySolution(l lessons.Lesson) (Written, error) {
	solution, err := w.Solution(l)
	if err != nil {
		return Written{}, err
	}
	return w.Lay(l, solution)
}

// Lay writes files into the workspace, each atomically, after copying the
// learner's versions of those that differ to a new folder under
// .dblings/backup. Nothing the learner wrote is lost.
func (w *Workspace) Lay(l lessons.Lesson, files []File) (Written, error) {
	changed, err := w.Differing(files)
	if err != nil || len(changed) == 0 {
		return Written{}, err
	}
	backup, err := w.backUp(l, changed)
	if err != nil {
		return Written{}, err
	}
	written := Written{Backup: backup}
	for _, f := range changed {
		if err := os.MkdirAll(filepath.Dir(w.path(f.Path)), 0o755); err != nil {
			return written, fmt.Errorf("write %s: %w", f.Path, err)
		}
		if err := renameio.WriteFile(w.path(f.Path), f.Content, 0o644); err != nil {
			return written, fmt.Errorf("write %s: %w", f.Path, err)
		}
		written.Files = append(written.Files, f.Path)
	}
	return written, nil
}

// backUp copies the learner's current versions of files into a new folder
// under .dblings/backup and returns it ("" when none of them exists).
func (w *Workspace) backUp(l lessons.Lesson, files []File) (string, error) {
	root := w.path(".dblings/backup")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("back up your version: %w", err)
	}
	dir, err := os.MkdirTemp(root, l.ID+"-"+time.Now().Format("20060102-150405")+"-")
	if err != nil {
		return "", fmt.Errorf("back up your version: %w", err)
	}
	kept := 0
	for _, f := range files {
		data, err := os.ReadFile(w.path(f.Path))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("back up %s: %w", f.Path, err)
		}
		if err := os.WriteFile(filepath.Join(dir, path.Base(f.Path)), data, 0o644); err != nil {
			return "", fmt.Errorf("back up %s: %w", f.Path, err)
		}
		kept++
	}
	if kept == 0 {
		return "", os.Remove(dir)
	}
	rel, err := filepath.Rel(w.root, dir)
	return filepath.ToSlash(rel), err
}

// path turns a workspace-relative slash path into a path on disk.
func (w *Workspace) path(rel string) string { return filepath.Join(w.root, filepath.FromSlash(rel)) }

// AddMissing writes the stub files of l that the workspace does not have,
// and nothing else: how the exercise of a lesson from a pack reaches a
// learner's checkout. It returns the files it wrote.
func (w *Workspace) AddMissing(l lessons.Lesson) ([]string, error) {
	stub, err := w.Stub(l)
	if err != nil {
		return nil, err
	}
	var added []string
	for _, f := range stub {
		if _, err := os.Lstat(w.path(f.Path)); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(w.path(f.Path)), 0o755); err != nil {
			return added, fmt.Errorf("add %s: %w", f.Path, err)
		}
		if err := renameio.WriteFile(w.path(f.Path), f.Content, 0o644); err != nil {
			return added, fmt.Errorf("add %s: %w", f.Path, err)
		}
		added = append(added, f.Path)
	}
	return added, nil
}
