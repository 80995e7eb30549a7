package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/exercises"
	"github.com/dblings/dblings/lessons"
)

func newResetCmd(f *Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset <lesson>",
		Short: "Put a lesson's exercise back to its original stub",
		Long: `Restore the files of a lesson's exercise to the stub dblings shipped with.
Only the stub's own files are written; anything else in the folder is left
alone. Your version is first copied to .dblings/backup/, and you are asked
to confirm unless --yes is given (without a terminal, --yes is required).`,
		Args: lessonArg(true),
		RunE: func(_ *cobra.Command, args []string) error { return runReset(f, args[0], yes) },
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "reset without asking")
	return cmd
}

// stubFile is one file of a shipped stub: its workspace-relative path and
// pristine content.
type stubFile struct {
	rel     string
	content []byte
}

func runReset(f *Factory, id string, yes bool) error {
	l, err := findLesson(id)
	if err != nil {
		return err
	}
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	changed, err := changedStubFiles(ws, l)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		fmt.Fprintf(f.IO.Out, "%s is already the original stub; nothing to reset.\n", path.Join("exercises", l.Dir))
		return nil
	}
	names := make([]string, len(changed))
	for i, c := range changed {
		names[i] = c.rel
	}
	if !yes {
		ok, err := confirm(f, fmt.Sprintf("Reset %s to the original stub? Your version will be kept in .dblings/backup/. [y/N] ", strings.Join(names, ", ")))
		if err != nil || !ok {
			return err
		}
	}
	backup, err := backUp(ws, l, changed)
	if err != nil {
		return err
	}
	for _, c := range changed {
		if err := writeAtomically(filepath.Join(ws, filepath.FromSlash(c.rel)), c.content); err != nil {
			return fmt.Errorf("reset %s: %w", c.rel, err)
		}
		fmt.Fprintf(f.IO.Out, "Reset %s.\n", c.rel)
	}
	if backup != "" {
		fmt.Fprintf(f.IO.Out, "Your version is in %s.\n", backup)
	}
	return nil
}

// changedStubFiles lists the stub's files that differ from the shipped
// ones, or are missing.
func changedStubFiles(ws string, l lessons.Lesson) ([]stubFile, error) {
	names, err := fs.Glob(exercises.FS(), l.Dir+"/*.go")
	if err != nil {
		return nil, err
	}
	var out []stubFile
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue // check files are never the learner's to edit or reset
		}
		content, err := fs.ReadFile(exercises.FS(), name)
		if err != nil {
			return nil, err
		}
		rel := path.Join("exercises", name)
		current, err := os.ReadFile(filepath.Join(ws, filepath.FromSlash(rel)))
		if err == nil && bytes.Equal(current, content) {
			continue
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		out = append(out, stubFile{rel: rel, content: content})
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("this dblings has no stub for %s built in", l.ID)
	}
	return out, nil
}

// confirm asks a yes/no question; without a terminal it refuses, since
// nobody can answer.
func confirm(f *Factory, question string) (bool, error) {
	if !f.IO.Interactive {
		return false, usageError("this would overwrite your work and there is no terminal to ask; pass --yes to confirm")
	}
	fmt.Fprint(f.IO.Err, question)
	answer, err := bufio.NewReader(f.IO.In).ReadString('\n')
	if err != nil && answer == "" {
		return false, usageError("no answer; nothing was changed (pass --yes to skip the question)")
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true, nil
	}
	fmt.Fprintln(f.IO.Out, "Nothing was changed.")
	return false, nil
}

// backUp copies the learner's current files into a new folder under
// .dblings/backup and returns it, relative to the workspace ("" when there
// was nothing to keep).
func backUp(ws string, l lessons.Lesson, files []stubFile) (string, error) {
	root := filepath.Join(ws, ".dblings", "backup")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("back up your version: %w", err)
	}
	dir, err := os.MkdirTemp(root, l.ID+"-"+time.Now().Format("20060102-150405")+"-")
	if err != nil {
		return "", fmt.Errorf("back up your version: %w", err)
	}
	kept := 0
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join(ws, filepath.FromSlash(file.rel)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("back up %s: %w", file.rel, err)
		}
		if err := os.WriteFile(filepath.Join(dir, path.Base(file.rel)), data, 0o644); err != nil {
			return "", fmt.Errorf("back up %s: %w", file.rel, err)
		}
		kept++
	}
	if kept == 0 {
		return "", os.Remove(dir)
	}
	rel, err := filepath.Rel(ws, dir)
	return filepath.ToSlash(rel), err
}

// writeAtomically replaces a file through a temporary file in the same
// folder, so an interrupted reset leaves the old file or the new, never half.
func writeAtomically(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dblings-reset-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
