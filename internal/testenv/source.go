package testenv

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dblings/dblings/lessons"
)

// Root is the repository's root folder, the workspace tests run checks in.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Source is the repository as the pristine source tree the dblings binary
// embeds (see main.go): the lessons, their stubs, checks and solutions, and
// the packages checks import.
func Source() fs.FS { return os.DirFS(Root()) }

// Catalog is the repository's curriculum. A lesson folder that does not
// load fails the test.
func Catalog(tb testing.TB) lessons.Catalog {
	tb.Helper()
	c, err := lessons.Load(os.DirFS(filepath.Join(Root(), "lessons")))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Lesson is the repository's lesson with the given id.
func Lesson(tb testing.TB, id string) lessons.Lesson {
	tb.Helper()
	l, err := Catalog(tb).Find(id)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}
