// Package lessons is the ordered catalog of dblings lessons: their ids, texts,
// hints, and where each lesson's exercise and solution live.
//
// The order of Catalog is the curriculum. Lesson texts and hints are Markdown
// files embedded from this folder (lessons/<dir>/lesson.md and hints.md).
package lessons

import (
	"embed"
	"fmt"
	"path"
	"strings"
)

//go:embed */lesson.md */hints.md
var texts embed.FS

// Lesson is one entry of the curriculum.
type Lesson struct {
	// ID is the stable slug used on the command line (explain-index).
	ID string
	// Dir is the folder name shared by lessons/, exercises/ and solutions/
	// (01-explain-index).
	Dir string
	// Title is the human title.
	Title string
	// File is the exercise file the learner edits, relative to exercises/<Dir>.
	File string
	// Fixture names the data set the check runs on (see package fixtures).
	Fixture string
	// PostgresServers is how many Postgres servers the check needs.
	PostgresServers int
}

// Catalog returns the lessons in curriculum order.
func Catalog() []Lesson {
	return []Lesson{
		{ID: "explain-index", Dir: "01-explain-index", Title: "EXPLAIN: flip a Seq Scan to an Index Scan", File: "index.go", Fixture: "blog", PostgresServers: 1},
		{ID: "cache-aside", Dir: "02-cache-aside", Title: "Cache-aside with Redis", File: "cache.go", Fixture: "users", PostgresServers: 1},
		{ID: "cursor-pagination", Dir: "03-cursor-pagination", Title: "Cursor pagination", File: "pagination.go", Fixture: "blog", PostgresServers: 1},
		{ID: "optimistic-locking", Dir: "04-optimistic-locking", Title: "Optimistic locking: a version column and a retry", File: "locking.go", Fixture: "accounts", PostgresServers: 1},
		{ID: "sharding", Dir: "05-sharding", Title: "Sharding and scatter-gather", File: "sharding.go", Fixture: "shop-shards", PostgresServers: 3},
		{ID: "batching", Dir: "06-batching", Title: "Batching: import thousands of rows in a few round trips", File: "batching.go", Fixture: "import", PostgresServers: 1},
	}
}

// ExercisePath is the learner's file, relative to the workspace root.
func (l Lesson) ExercisePath() string { return path.Join("exercises", l.Dir, l.File) }

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
	b, err := texts.ReadFile(path.Join(l.Dir, name))
	if err != nil {
		return ""
	}
	return string(b)
}

// UnknownLessonError is returned by Find for an id not in the catalog.
type UnknownLessonError struct{ ID string }

func (e *UnknownLessonError) Error() string {
	return fmt.Sprintf("no lesson %q; the lessons are: %s", e.ID, strings.Join(IDs(), ", "))
}

// Find returns the lesson with the given id.
func Find(id string) (Lesson, error) {
	for _, l := range Catalog() {
		if l.ID == id {
			return l, nil
		}
	}
	return Lesson{}, &UnknownLessonError{ID: id}
}

// IDs lists the lesson ids in order.
func IDs() []string {
	var ids []string
	for _, l := range Catalog() {
		ids = append(ids, l.ID)
	}
	return ids
}
