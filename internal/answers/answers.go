// Package answers reads a lesson's answer set, the right and wrong answers a
// learner would plausibly write, and turns each answer back into the file
// such a learner would have saved. An answer keeps only the declarations it
// changes; [Apply] lays them over the file the answer starts from.
//
// # An answer file
//
// An answer lives at lessons/<dir>/answers/<name>.go:
//
//	//go:build ignore
//
//	// Wrong: an index on created_at alone. It gives the order, but the query
//	// filters on author_id: Postgres walks the index from the newest post and
//	// throws away every other author's posts on the way.
//	//
//	//dblings:answer failed assertion="leads with author_id" says="posts_created_idx leads with created_at"
//	package explainindex
//
//	import (
//		"context"
//
//		"github.com/jackc/pgx/v5/pgxpool"
//	)
//
//	func Migrate(ctx context.Context, db *pgxpool.Pool) error {
//		_, err := db.Exec(ctx, `CREATE INDEX posts_created_idx ON posts (created_at)`)
//		return err
//	}
//
// The build constraint keeps "go build ./..." and "go vet ./..." away from
// files that are fragments, not packages. The comment above the package
// clause says in words what the answer does and why it is right or wrong;
// its last line is the directive, which says what a check must report and
// what the answer is laid over (see [Expectation]). The package clause
// names the stub's package. What follows are the imports the declarations
// need and only the top-level declarations the answer replaces or adds (see
// [Apply]).
//
// An answer is laid over the lesson's stub, unless its directive names
// another base: the reference solution, or another answer of the set, so
// that a wrong answer can be written as a right one with one mistake, in
// the one declaration that holds it (see [Files]). An answer with no
// declarations is its base as it is.
package answers

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Answer is one parsed answer file.
type Answer struct {
	// Name is the file name without ".go" ("created-at-only").
	Name string
	// Path is the file the answer was read from.
	Path string
	// Explanation is the comment's text: what the answer does and why.
	Explanation string
	// Expect is what a check of the merged file must report.
	Expect Expectation
	// Over names the file the answer is laid over: "" for the stub,
	// [Solution] for the lesson's reference solution, or another answer of
	// the set by its name.
	Over string
	// Alone, when set, says why the answer must be checked with no other
	// check beside it: one that floods the server (a connection per
	// request) would starve the checks that share it.
	Alone string

	src          []byte
	fset         *token.FileSet
	file         *ast.File
	directivePos token.Pos
}

// ParseError says where an answer file breaks the format, and how.
type ParseError struct {
	Pos     token.Position
	Problem string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Pos.Filename, e.Pos.Line, e.Problem)
}

// ignoreConstraint is the build line every answer carries.
const ignoreConstraint = "//go:build ignore"

// Load parses every answer file of an answers folder, sorted by name. A
// folder that does not exist is an error: every lesson has answers.
func Load(dir string) ([]*Answer, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load answers: %w", err)
	}
	var (
		list []*Answer
		errs []error
	)
	// ReadDir sorts by file name, and every name ends in ".go": the
	// answers come out sorted by name.
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a, err := Parse(path, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		list = append(list, a)
	}
	return list, errors.Join(errs...)
}

// Parse reads one answer file. path names it in errors and gives the
// answer its name.
func Parse(path string, src []byte) (*Answer, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return nil, syntaxError(path, err)
	}
	a := &Answer{
		Name: strings.TrimSuffix(filepath.Base(path), ".go"),
		Path: path,
		src:  src,
		fset: fset,
		file: f,
	}
	if err := a.checkHeader(); err != nil {
		return nil, err
	}
	return a, nil
}

// syntaxError turns the parser's error into a ParseError at the first
// problem it found.
func syntaxError(path string, err error) error {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return &ParseError{Pos: list[0].Pos, Problem: list[0].Msg}
	}
	return &ParseError{Pos: token.Position{Filename: path, Line: 1}, Problem: err.Error()}
}

// checkHeader reads the build line, the explanation and the directive.
func (a *Answer) checkHeader() error {
	f := a.file
	if !a.hasIgnoreConstraint() {
		return a.errorAt(f.Package, "the file must start with %q, so that go build and go vet skip it", ignoreConstraint)
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, directivePrefix) && g != f.Doc {
				return a.errorAt(c.Pos(), "the %s line must end the comment just above the package clause", directivePrefix)
			}
		}
	}
	if f.Doc == nil {
		return a.errorAt(f.Package, "no comment above the package clause: say what the answer does, then %s", directivePrefix)
	}
	a.Explanation = strings.TrimSpace(f.Doc.Text())
	if a.Explanation == "" {
		return a.errorAt(f.Doc.Pos(), "the comment above the package clause must say in words what the answer does and why")
	}
	return a.readDirective(f.Doc)
}

func (a *Answer) hasIgnoreConstraint() bool {
	for _, g := range a.file.Comments {
		if g.Pos() > a.file.Package {
			break
		}
		for _, c := range g.List {
			if strings.TrimSpace(c.Text) == ignoreConstraint {
				return true
			}
		}
	}
	return false
}

// readDirective finds the one directive line in the doc comment.
func (a *Answer) readDirective(doc *ast.CommentGroup) error {
	var found *ast.Comment
	for _, c := range doc.List {
		if !strings.HasPrefix(c.Text, directivePrefix) {
			continue
		}
		if found != nil {
			return a.errorAt(c.Pos(), "a second %s line; an answer has one expectation", directivePrefix)
		}
		found = c
	}
	if found == nil {
		return a.errorAt(a.file.Package, "no %s line in the comment above the package clause", directivePrefix)
	}
	d, err := parseDirective(found.Text)
	if err != nil {
		return a.errorAt(found.Pos(), "%v", err)
	}
	if d.over == a.Name {
		return a.errorAt(found.Pos(), "the answer is laid over itself")
	}
	a.Expect, a.Over, a.Alone, a.directivePos = d.Expectation, d.over, d.alone, found.Pos()
	return nil
}

func (a *Answer) errorAt(pos token.Pos, format string, args ...any) error {
	return &ParseError{Pos: a.fset.Position(pos), Problem: fmt.Sprintf(format, args...)}
}
