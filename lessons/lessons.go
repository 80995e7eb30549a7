// Package lessons reads the curriculum: one folder per lesson, in folder
// order, each declaring itself in a lesson.toml manifest beside its text
// (lesson.md), its hints (hints.md) and its answer set (answers/).
//
// The folder name is the lesson's number and id ("01-explain-index"); the
// same name holds the lesson's stub in exercises/ and its reference
// solution in solutions/. Nothing else lists the lessons: the catalog, the
// servers "env up" starts and the README's lesson list all come from here.
package lessons

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Lesson is one entry of the curriculum, as its manifest declares it.
type Lesson struct {
	// ID is the stable slug used on the command line (explain-index).
	ID string
	// Dir is the folder name shared by lessons/, exercises/ and solutions/
	// (01-explain-index).
	Dir string
	// Title is the human title.
	Title string
	// File is the exercise file the learner edits, in exercises/<Dir>.
	File string
	// Fixture names the data set the check runs on (see package fixtures).
	Fixture string
	// PostgresServers is how many Postgres servers the check needs.
	PostgresServers int
	// Redis says whether the check needs a Redis server.
	Redis bool
	// Race says that the check runs the learner's code with Go's race
	// detector: a lesson about concurrency, where a data race is a wrong
	// answer that usually passes without it.
	Race bool
	// Minutes is the estimated time a learner spends on the lesson.
	Minutes int
	// Points is what the lesson is worth in grade's score, shared among
	// its check's assertions by their weights (see checker.WithWeights).
	Points int
	// Teaches names the patterns of the seed texts the lesson covers.
	Teaches []string

	texts fs.FS // the lesson's own folder
}

// ExercisePath is the learner's file, relative to the workspace root.
func (l Lesson) ExercisePath() string { return path.Join("exercises", l.Dir, l.File) }

// SolutionPath is the reference solution's file, relative to the
// workspace root.
func (l Lesson) SolutionPath() string { return path.Join("solutions", l.Dir, l.File) }

// Package is the Go package path of the exercise, relative to the workspace
// root, as go test expects it ("./exercises/01-explain-index").
func (l Lesson) Package() string { return "./" + path.Join("exercises", l.Dir) }

// Text is the lesson's Markdown.
func (l Lesson) Text() string { return l.read("lesson.md") }

// Hints are the lesson's hints, from gentle to nearly the answer. In hints.md
// each hint starts with a second-level heading ("## Hint 1").
func (l Lesson) Hints() []string {
	var hints []string
	for _, part := range strings.Split("\n"+l.read("hints.md"), "\n## ")[1:] {
		_, body, _ := strings.Cut(part, "\n")
		hints = append(hints, strings.TrimSpace(body))
	}
	return hints
}

func (l Lesson) read(name string) string {
	if l.texts == nil {
		return ""
	}
	b, err := fs.ReadFile(l.texts, name)
	if err != nil {
		return ""
	}
	return string(b)
}

// Catalog is the curriculum in order.
type Catalog []Lesson

// UnknownLessonError is returned by Find for an id not in the catalog.
type UnknownLessonError struct {
	ID    string
	Known []string
}

func (e *UnknownLessonError) Error() string {
	return fmt.Sprintf("no lesson %q; the lessons are: %s", e.ID, strings.Join(e.Known, ", "))
}

// Find returns the lesson with the given id.
func (c Catalog) Find(id string) (Lesson, error) {
	for _, l := range c {
		if l.ID == id {
			return l, nil
		}
	}
	return Lesson{}, &UnknownLessonError{ID: id, Known: c.IDs()}
}

// Index returns the position of the lesson with the given id, or -1.
func (c Catalog) Index(id string) int {
	for i, l := range c {
		if l.ID == id {
			return i
		}
	}
	return -1
}

// IDs lists the lesson ids in order.
func (c Catalog) IDs() []string {
	ids := make([]string, len(c))
	for i, l := range c {
		ids[i] = l.ID
	}
	return ids
}

// PostgresServers is the most Postgres servers any lesson needs: what an
// environment kept for the whole curriculum starts.
func (c Catalog) PostgresServers() int {
	n := 1
	for _, l := range c {
		n = max(n, l.PostgresServers)
	}
	return n
}
