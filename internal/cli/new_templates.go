package cli

import (
	"bytes"
	"fmt"
	"go/format"
	"path"
	"strings"
	"text/template"
)

// scaffoldMinutes is the estimated time a new manifest starts with.
const scaffoldMinutes = 20

// skeleton is what the files of a new lesson are written from.
type skeleton struct {
	ID, Title string
	Number    int
	Dir       string // NN-id, shared by lessons/, exercises/ and solutions/
	File      string // the exercise's file name
	Package   string
	TestName  string // the check's test function

	Fixture, FixtureAbout string
	Fixtures              string // every fixture name, for the manifest's comment
	Postgres              int
	Redis                 bool
	Minutes               int

	example
}

// example is the small working lesson every new lesson starts as: a
// function that counts something in the fixture, a stub that returns 0, a
// check that counts for itself. It makes verify and the answers test pass
// from the first minute, and shows the author each file's shape.
type example struct {
	Func    string // the stub's function
	Query   string // the count, as the solution and the check run it
	Counted string // what is counted, in words ("rows in posts")
	// Snapshot is the query whose rows the witness sums up before and
	// after the check: a count must leave them as they were.
	Snapshot string
}

// scaffoldTemplates are the files of a new lesson: the path below the
// lesson's folder in lessons/, exercises/ or solutions/ (with {{.File}}
// for the exercise's name), what the file is, and its text.
var scaffoldTemplates = []struct {
	tree, name, about, text string
}{
	{"lessons", "lesson.toml", "the manifest", manifestTemplate},
	{"lessons", "lesson.md", "the lesson's text, one section per fixed heading", lessonTemplate},
	{"lessons", "hints.md", "three hints, from a nudge to nearly the answer", hintsTemplate},
	{"lessons", "answers/collect-one-row.go", "an example right answer", rightAnswerTemplate},
	{"lessons", "answers/untouched-stub.go", "an example wrong answer", wrongAnswerTemplate},
	{"lessons", "witness.go", "the second witness: what dblings re-reads from the database", witnessTemplate},
	{"exercises", "{{.File}}", "the stub the learner edits (fails its check)", stubTemplate},
	{"lessons", "check/check.go", "the check's logic, a package compiled once and cached", checkTemplate},
	{"exercises", "check_test.go", "the check's entry: hands the learner's code to the check", checkShimTemplate},
	{"solutions", "{{.File}}", "the reference solution (passes its check)", solutionTemplate},
}

// render writes every file of the lesson in memory. Go files come out
// gofmt'ed.
func (sk *skeleton) render() ([]scaffoldFile, error) {
	funcs := template.FuncMap{"toml": tomlString}
	var files []scaffoldFile
	for _, t := range scaffoldTemplates {
		name := strings.ReplaceAll(t.name, "{{.File}}", sk.File)
		tmpl, err := template.New(name).Funcs(funcs).Parse(t.text)
		if err != nil {
			return nil, fmt.Errorf("the template of %s: %w", name, err)
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, sk); err != nil {
			return nil, fmt.Errorf("the template of %s: %w", name, err)
		}
		content := b.Bytes()
		if strings.HasSuffix(name, ".go") {
			if content, err = format.Source(content); err != nil {
				return nil, fmt.Errorf("the scaffold's %s is not valid Go: %w", name, err)
			}
		}
		files = append(files, scaffoldFile{path: path.Join(t.tree, sk.Dir, name), about: t.about, content: content})
	}
	return files, nil
}

// tomlString quotes s as a TOML basic string. The title is one line
// without control characters, so only \ and " need escaping.
func tomlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

const manifestTemplate = `# Lesson {{.Number}}, as the catalog, "dblings env up" and the README read it.
# Every key is required; docs/AUTHORING.md says what each one means.
id      = {{toml .ID}}
title   = {{toml .Title}}
# The Go file the learner edits, in exercises/{{.Dir}}/.
file    = {{toml .File}}
# The data set the check runs on, one of: {{.Fixtures}}.
fixture = {{toml .Fixture}}
# TODO(author): how long a learner takes, in minutes.
minutes = {{.Minutes}}
# TODO(author): the patterns of the seed texts this lesson teaches.
teaches = ["TODO(author): the pattern this lesson teaches"]
# What a pass is worth in grade's score, shared among the check's
# assertions by their weights (10 when left out).
points  = 10

[servers]
postgres = {{.Postgres}}
redis    = {{.Redis}}
`

const lessonTemplate = `# {{.Title}}

TODO(author): one or two sentences on what the learner can do after this
lesson. Each TODO(author) in the lesson's files is a note for you: replace
it. Keep the headings below, in this order: every lesson has them.

## Why it matters

TODO(author): the production problem the pattern solves, made concrete with
a number (rows read, round trips, milliseconds at this data's size), and
when the pattern is the wrong tool.

## The situation

TODO(author): what the learner finds: the data ({{.Fixture}}: {{.FixtureAbout}}),
the code around the exercise, and what goes wrong with it today.

## Your task

TODO(author): what to change in ` + "`exercises/{{.Dir}}/{{.File}}`" + `, and what must
stay as it is. Until you write the lesson, the task is the example's: make
` + "`{{.Func}}`" + ` return the number of {{.Counted}}, with one query.

## How it is checked

TODO(author): each assertion of the check, in words: what it measures, on
which data, against which threshold. Say that a timing is a ratio against a
baseline measured in the same run. The example's check counts the
{{.Counted}} itself and asserts that ` + "`{{.Func}}`" + ` returns the same number, in
one round trip.

## Going further

TODO(author): variations, trade-offs, and what to read next.
`

const hintsTemplate = `## Hint 1

TODO(author): a gentle nudge: where to look and with what (EXPLAIN in psql,
after ` + "`dblings env up` and `dblings env status --urls`" + `), without the answer.
For the example: the database can count rows without sending them.

## Hint 2

TODO(author): the idea of the answer, in words. For the example: one
` + "`SELECT count(*)`" + ` does it, in one round trip.

## Hint 3

TODO(author): nearly the answer: the statement, or the shape of the code.
Add as many hints as the lesson needs, each under its own "## Hint N"
heading. For the example: ` + "`db.QueryRow(ctx, query).Scan(&n)`" + `.
`

const stubTemplate = `// Package {{.Package}} is lesson {{.Number}}: {{.Title}}.
//
// TODO(author): this is the file the learner starts from. Replace the
// example with the lesson's own declarations, and keep a TODO that says
// what to do.
package {{.Package}}

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// {{.Func}} returns the number of {{.Counted}}.
//
// TODO: ask the database, with one query. Run ` + "`dblings hint {{.ID}}`" + ` if
// you are stuck.
func {{.Func}}(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	return 0, nil
}
`

const solutionTemplate = `// Package {{.Package}} is lesson {{.Number}}: {{.Title}}.
package {{.Package}}

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// {{.Func}} returns the number of {{.Counted}}.
//
// TODO(author): replace the example with the reference solution: the
// stub's declarations done right, with comments that say why.
//
// The database counts and sends back one number: one round trip, however
// many rows there are.
func {{.Func}}(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var n int64
	err := db.QueryRow(ctx, ` + "`{{.Query}}`" + `).Scan(&n)
	return n, err
}
`

const checkTemplate = `// Package check is lesson {{.Number}}'s check: {{.Func}} must return the
// number of {{.Counted}}, in one round trip.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/{{.Dir}}/check_test.go hands it the learner's code, so an edit
// recompiles only the learner's file and that shim.
package check

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// countQuery is the check's own copy of the query that finds the truth (a
// check never relies on SQL the learner can change); counted says in words
// what it counts.
const (
	countQuery = ` + "`{{.Query}}`" + `
	counted    = {{printf "%q" .Counted}}
)

// TODO(author): the example shows the shape every check has; replace it
// with the lesson's own assertions (docs/AUTHORING.md):
//   - call the learner's code with the handles it is meant to use:
//     c.Pool(){{if .Redis}}, redischeck.Open(t, c).Client(){{end}}{{if gt .Postgres 1}}, c.Shards(){{end}};
//   - read every fact from the data with the checker's own handles
//     (c.Admin(){{if .Redis}}, the Redis's Admin(){{end}}{{if gt .Postgres 1}}, c.AdminShards(){{end}}), never from a constant;
//   - assert on deterministic evidence first (plans, counts, final state),
//     each with a message that says what was found and what was expected.
// Exercise is what the learner's package gives the check: the functions
// it calls (and any value it must compare), in the check's own types.
type Exercise struct {
	{{.Func}} func(context.Context, *pgxpool.Pool) (int64, error)
}

// Run is the check of lesson {{.Number}}.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t)
	ctx := c.Ctx()

	var want int64
	c.RequireNoError("count the "+counted, c.Admin().QueryRow(ctx, countQuery).Scan(&want))

	got, err := ex.{{.Func}}(ctx, c.Pool())
	c.RequireNoError("{{.Func}} runs", err)

	assertCount(c, got, want)
	assertOneRoundTrip(c)
}

// assertCount compares the learner's number with the one the check read
// from the same database.
func assertCount(c *checker.Check, got, want int64) {
	msg := fmt.Sprintf("{{.Func}} returned %s, the number of %s", checker.FormatCount(got), counted)
	if got != want {
		msg = fmt.Sprintf("{{.Func}} returned %s, but the check counted %s %s on the same database: "+
			"the number has to come from the data, so ask the database for it",
			checker.FormatCount(got), checker.FormatCount(want), counted)
	}
	c.Assert("the count is right", got == want, msg,
		checker.Evidence{Counts: map[string]int64{"returned": got, "counted": want}})
}

// assertOneRoundTrip reads the learner's query log: a count is one
// statement, whatever the size of the table.
func assertOneRoundTrip(c *checker.Check) {
	log := c.QueryLog()
	trips := log.RoundTrips()
	msg := "{{.Func}} sent one query: the database counted and sent back one number"
	switch {
	case trips == 0:
		msg = "{{.Func}} sent no query: only the database knows the answer"
	case trips > 1:
		msg = fmt.Sprintf("{{.Func}} made %d round trips; one SELECT count(*) is enough, "+
			"and the database counts without sending the rows", trips)
	}
	c.Assert("one round trip", trips == 1, msg, checker.Evidence{
		Queries: checker.Statements(log.Queries()),
		Counts:  map[string]int64{"round_trips": int64(trips)},
	})
}
`

const checkShimTemplate = `//go:build dblings

package {{.Package}}

import (
	"testing"

	"github.com/dblings/dblings/lessons/{{.Dir}}/check"
)

// The check itself is lessons/{{.Dir}}/check; this file hands it your code.
func {{.TestName}}(t *testing.T) {
	check.Run(t, check.Exercise{ {{- .Func}}: {{.Func}}})
}
`

const rightAnswerTemplate = `//go:build ignore

// Right: the same count read with Query and pgx.CollectOneRow instead of
// QueryRow; still one round trip.
//
// TODO(author): an example of the format. Replace it with the right answers
// a learner could write that differ from the reference solution: at least
// two.
//
//dblings:answer passed
package {{.Package}}

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func {{.Func}}(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	rows, err := db.Query(ctx, ` + "`{{.Query}}`" + `)
	if err != nil {
		return 0, err
	}
	return pgx.CollectOneRow(rows, pgx.RowTo[int64])
}
`

const wrongAnswerTemplate = `//go:build ignore

// Wrong: the stub as shipped. {{.Func}} returns 0 without asking the
// database, and the check says how many it counted instead.
//
// TODO(author): an example of the format. Replace it with the wrong answers
// a learner of this lesson would plausibly write: at least five, each
// failing its own assertion with a message that teaches.
//
//dblings:answer failed assertion="the count is right" says="returned 0,"
package {{.Package}}
`

const witnessTemplate = `// Package {{.Package}} is lesson {{.Number}}'s second witness: what dblings
// re-reads from the database after the check, outside the check's process.
package {{.Package}}

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/witness"
)

// snapshot is the witness's own copy of the rows it watches.
const snapshot = ` + "`{{.Snapshot}}`" + `

// Witness looks at the fresh database before the check runs and returns
// what judges it afterwards. A check passes only when its own report and
// these facts agree.
//
// TODO(author): replace the example with the lesson's decisive facts, the
// ones a learner's process cannot fake by writing the check's report:
// plans dblings runs itself, the catalog (witness.ReadCatalog), table
// statistics (witness.ReadTableStats), the final rows (witness.ReadDigest),
// Redis keys (s.RedisClient()). Each must hold for every right answer.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, readRows, judge)
}

func readRows(ctx context.Context, conn *pgx.Conn) (witness.Digest, error) {
	return witness.ReadDigest(ctx, conn, snapshot)
}

func judge(ctx context.Context, conn *pgx.Conn, before witness.Digest) ([]witness.Fact, error) {
	after, err := readRows(ctx, conn)
	return []witness.Fact{witness.Holds("database: the data is unchanged", after == before,
		"counting left every row as it was",
		"the rows changed during the check: counting only reads")}, err
}
`
