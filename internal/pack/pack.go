// Package pack reads lesson packs: an instructor's own lessons, in a folder
// laid out as dblings' own (lessons/NN-id/ with lesson.toml, lesson.md,
// hints.md and answers/; exercises/NN-id/ with the stub and check_test.go;
// solutions/NN-id/), added after the built-in lessons.
//
// A pack's checks are pinned from the pack's own folder, the instructor's
// copy, as the built-in ones are from the binary: Source lays the pack's
// lesson folders over the binary's tree, and the runner builds every check
// from that tree, whatever the learner's copy holds. Pack lessons use the
// data sets built into dblings and have no second witness (a witness is Go
// code built into dblings): their verdicts rest on the check's report.
package pack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
)

// Pack is one folder of lessons.
type Pack struct {
	// Dir is the pack's folder, absolute.
	Dir string
	// Catalog is the pack's lessons in folder order.
	Catalog lessons.Catalog
	files   fs.FS
}

// Error says what is wrong with a pack, for the instructor who wrote it.
type Error struct {
	Dir     string
	Problem string
}

func (e *Error) Error() string { return "lesson pack " + e.Dir + ": " + e.Problem }

// Load reads the pack in dir and checks that every lesson is complete: a
// manifest that loads, a data set dblings has, a stub with its check, and
// a reference solution.
func Load(dir string) (*Pack, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(filepath.Join(abs, "lessons")); err != nil || !fi.IsDir() {
		return nil, &Error{Dir: abs, Problem: "it has no lessons/ folder: a pack is laid out as dblings' own (lessons/, exercises/, solutions/)"}
	}
	if _, err := os.Stat(filepath.Join(abs, "fixtures")); err == nil {
		return nil, &Error{Dir: abs, Problem: "it has a fixtures/ folder: pack lessons use the data sets built into dblings (" + strings.Join(fixtures.Names(), ", ") + "); a new data set needs a dblings build"}
	}
	files := os.DirFS(abs)
	lessonsTree, err := fs.Sub(files, "lessons")
	if err != nil {
		return nil, err
	}
	catalog, err := lessons.Load(lessonsTree)
	if err != nil {
		return nil, &Error{Dir: abs, Problem: err.Error()}
	}
	var problems []error
	for _, l := range catalog {
		if problem := complete(files, l); problem != "" {
			problems = append(problems, &Error{Dir: abs, Problem: l.ID + ": " + problem})
		}
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	return &Pack{Dir: abs, Catalog: catalog, files: files}, nil
}

// complete says what a pack lesson lacks, or "".
func complete(files fs.FS, l lessons.Lesson) string {
	if _, err := fixtures.Lookup(l.Fixture); err != nil {
		return err.Error()
	}
	checks, _ := fs.Glob(files, path.Join("exercises", l.Dir, "*_test.go"))
	for _, need := range []struct{ file, what string }{
		{l.ExercisePath(), "the stub"},
		{l.SolutionPath(), "the reference solution"},
	} {
		if _, err := fs.Stat(files, need.file); err != nil {
			return fmt.Sprintf("%s (%s) is missing", need.what, need.file)
		}
	}
	if len(checks) == 0 {
		return fmt.Sprintf("the check (exercises/%s/check_test.go) is missing", l.Dir)
	}
	return ""
}

// Catalog is base followed by every pack's lessons. A pack lesson whose id
// or folder is taken already is an error: the commands name lessons by id,
// and the folder is where the learner's file lives.
func Catalog(base lessons.Catalog, packs []*Pack) (lessons.Catalog, error) {
	all := append(lessons.Catalog{}, base...)
	dirs := map[string]bool{}
	for _, l := range base {
		dirs[l.Dir] = true
	}
	for _, p := range packs {
		for _, l := range p.Catalog {
			if all.Index(l.ID) >= 0 || dirs[l.Dir] {
				return nil, &Error{Dir: p.Dir, Problem: fmt.Sprintf("lesson %s (%s) has the id or folder of a lesson dblings already has; rename it", l.ID, l.Dir)}
			}
			dirs[l.Dir] = true
			all = append(all, l)
		}
	}
	return all, nil
}

// Source is base with the packs' lesson folders laid over it: a path
// under exercises/, solutions/ or lessons/ in a pack lesson's folder is
// read from its pack, every other path from base.
func Source(base fs.FS, packs []*Pack) fs.FS {
	owner := map[string]fs.FS{}
	for _, p := range packs {
		for _, l := range p.Catalog {
			owner[l.Dir] = p.files
		}
	}
	if len(owner) == 0 {
		return base
	}
	return &layered{base: base, owner: owner}
}

// layered routes each path to the pack that owns its lesson folder.
type layered struct {
	base  fs.FS
	owner map[string]fs.FS // lesson folder → its pack's files
}

func (l *layered) Open(name string) (fs.File, error) { return l.route(name).Open(name) }

// route is the tree that holds name.
func (l *layered) route(name string) fs.FS {
	parts := strings.SplitN(name, "/", 3)
	if len(parts) < 2 {
		return l.base
	}
	switch parts[0] {
	case "exercises", "solutions", "lessons":
		if files, ok := l.owner[parts[1]]; ok {
			return files
		}
	}
	return l.base
}
