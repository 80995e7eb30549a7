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
	"time"
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
	// Replica says that the check needs a streaming replica of the first
	// Postgres server, whose lag the runner controls.
	Replica bool
	// ReplicaLag, when above 0, is how late the replica applies each
	// commit of the check (recovery_min_apply_delay): a read on the replica
	// right after a write is stale for certain. The delay is the replica
	// server's, so only one such check runs on a replica at a time.
	ReplicaLag time.Duration
	// Archive says that the check needs the archiving server (a Postgres
	// server of its own whose WAL is archived), for base backups and
	// point-in-time restores. The check's databases are made there instead
	// of on the first server, and the check gets the runner's backup vault
	// (contract.Check.Vault).
	Archive bool
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
func (c Catalog) PostgresServers() int { return c.Needs().PostgresServers }

// Needs is what lessons need of their environment. Every Postgres server
// runs with pg_stat_statements loaded, so that is no need of its own.
type Needs struct {
	PostgresServers int  // at least 1
	Replica         bool // a streaming replica of the first server
	Archive         bool // an archiving server: WAL archive, base backups, restores
}

// Needs is what the lesson's check needs.
func (l Lesson) Needs() Needs {
	return Needs{PostgresServers: max(1, l.PostgresServers), Replica: l.Replica, Archive: l.Archive}
}

// Needs is the most any lesson of the catalog needs: what an environment
// kept for the whole curriculum starts. A replica or an archive is started
// only when a lesson asks for it, so a catalog without such a lesson
// starts as fast as before.
func (c Catalog) Needs() Needs {
	n := Needs{PostgresServers: 1}
	for _, l := range c {
		n = n.With(l.Needs())
	}
	return n
}

// With is what n and o need together.
func (n Needs) With(o Needs) Needs {
	return Needs{PostgresServers: max(n.PostgresServers, o.PostgresServers), Replica: n.Replica || o.Replica, Archive: n.Archive || o.Archive}
}

// Covers says whether an environment made for n serves o too.
func (n Needs) Covers(o Needs) bool {
	return n.PostgresServers >= o.PostgresServers && (n.Replica || !o.Replica) && (n.Archive || !o.Archive)
}

// String says the needs in words, e.g. "2 Postgres servers, a replica".
func (n Needs) String() string {
	s := fmt.Sprintf("%d Postgres server", n.PostgresServers)
	if n.PostgresServers != 1 {
		s += "s"
	}
	if n.Replica {
		s += ", a replica"
	}
	if n.Archive {
		s += ", a WAL archive"
	}
	return s
}
