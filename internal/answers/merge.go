package answers

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strings"
)

// MergeError says why an answer cannot be laid over a stub.
type MergeError struct {
	Pos     token.Position
	Problem string
}

func (e *MergeError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Pos.Filename, e.Pos.Line, e.Problem)
}

// Apply lays an answer's declarations over a base file, the lesson's stub
// or whatever the answer starts from, and returns the file a learner who
// wrote the answer would have saved, gofmt'ed. In what follows the base is
// called the stub:
//
//   - A declaration of the answer replaces the stub's declaration of the
//     same name, with its doc comment: the answer's doc comment comes along
//     and the stub's goes. Functions match by name, methods by receiver
//     type and name (Store.GetUser, whether the receiver is a pointer or
//     not), and const, var and type by the names each spec declares. A spec
//     inside a grouped const (...), var (...) or type (...) of the stub is
//     replaced alone; the rest of its group stays.
//   - A declaration whose name the stub does not have, a helper say, is
//     added at the end of the file. So is every init func and every spec
//     that declares only _.
//   - The stub's other declarations stay: an answer cannot delete one.
//   - The imports are those of both files, less the ones the merged file no
//     longer uses. An import counts as used when its name, the one it is
//     given or else the last element of its path without a /vN suffix or a
//     go- prefix, qualifies an identifier somewhere in the file. Name an
//     import whose package is called otherwise.
//
// Comments inside a declaration travel with it; comments of the answer that
// belong to no declaration are left behind.
func Apply(stub []byte, a *Answer) ([]byte, error) {
	fset := token.NewFileSet()
	sf, err := parser.ParseFile(fset, "base.go", stub, parser.ParseComments)
	if err != nil {
		return nil, a.mergeError(a.file.Package, "the file the answer is laid over does not parse: %v", err)
	}
	if sf.Name.Name != a.file.Name.Name {
		return nil, a.mergeError(a.file.Name.Pos(), "package %s, but the stub is package %s", a.file.Name.Name, sf.Name.Name)
	}
	m := &merger{a: a, stub: stub, slots: stubSlots(fset, sf)}
	for _, d := range a.file.Decls {
		if err := m.take(d); err != nil {
			return nil, err
		}
	}
	return m.fixImports(m.splice())
}

// slot is a declaration of the stub that an answer's declaration can take,
// as a byte range with its doc and line comments.
type slot struct {
	start, end int
	grouped    bool     // a spec inside parentheses: replaced without its keyword
	names      []string // what a spec declares, sorted
	taken      bool
}

// edit replaces stub[start:end] with text.
type edit struct {
	start, end int
	text       string
}

type merger struct {
	a     *Answer
	stub  []byte
	slots map[string]*slot
	edits []edit
	added []string // new declarations, in the answer's order
}

// stubSlots indexes the stub's declarations by name (Type.Method for
// methods).
func stubSlots(fset *token.FileSet, f *ast.File) map[string]*slot {
	offset := func(p token.Pos) int { return fset.Position(p).Offset }
	slots := map[string]*slot{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			slots[funcKey(d)] = &slot{start: offset(docStart(d.Doc, d.Pos())), end: offset(d.End())}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				names := specNames(sp)
				s := &slot{names: names, grouped: d.Lparen.IsValid()}
				if s.grouped {
					s.start, s.end = offset(docStart(specDoc(sp), sp.Pos())), offset(specEnd(sp))
				} else {
					s.start, s.end = offset(docStart(d.Doc, d.Pos())), offset(max(d.End(), specEnd(sp)))
				}
				for _, n := range names {
					slots[n] = s
				}
			}
		}
	}
	return slots
}

// take merges one top-level declaration of the answer.
func (m *merger) take(d ast.Decl) error {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return m.takeFunc(d)
	case *ast.GenDecl:
		if d.Tok == token.IMPORT {
			return nil // fixImports merges them
		}
		return m.takeGen(d)
	}
	return m.a.mergeError(d.Pos(), "a declaration that does not parse")
}

func (m *merger) takeFunc(d *ast.FuncDecl) error {
	text := m.a.text(docStart(d.Doc, d.Pos()), d.End())
	s, ok := m.slots[funcKey(d)]
	if !ok || d.Name.Name == "init" || d.Name.Name == "_" {
		m.added = append(m.added, text)
		return nil
	}
	if s.grouped {
		return m.a.mergeError(d.Pos(), "func %s would land inside a parenthesized group of the stub", d.Name.Name)
	}
	return m.replace(s, text, d.Pos())
}

// takeGen merges a const, var or type declaration spec by spec.
func (m *merger) takeGen(d *ast.GenDecl) error {
	found := make([]*slot, len(d.Specs))
	for i, sp := range d.Specs {
		s, err := m.slotFor(sp)
		if err != nil {
			return err
		}
		found[i] = s
	}
	if !slices.ContainsFunc(found, func(s *slot) bool { return s != nil }) {
		// All new: the declaration goes in as written, group and all.
		end := d.End()
		if len(d.Specs) == 1 {
			end = max(end, specEnd(d.Specs[0]))
		}
		m.added = append(m.added, m.a.text(docStart(d.Doc, d.Pos()), end))
		return nil
	}
	for i, sp := range d.Specs {
		if err := m.takeSpec(d, sp, found[i]); err != nil {
			return err
		}
	}
	return nil
}

// takeSpec puts one spec where it goes: into the stub's group, in place of
// a declaration of its own, or at the end.
func (m *merger) takeSpec(d *ast.GenDecl, sp ast.Spec, s *slot) error {
	doc := specDoc(sp)
	if doc == nil && !d.Lparen.IsValid() {
		doc = d.Doc
	}
	var docText string
	if doc != nil {
		docText = m.a.text(doc.Pos(), doc.End()) + "\n"
	}
	spec := m.a.text(sp.Pos(), specEnd(sp))
	alone := docText + d.Tok.String() + " " + spec
	switch {
	case s == nil:
		return m.addSpec(d.Tok, sp, alone)
	case s.grouped:
		return m.replace(s, docText+spec, sp.Pos())
	}
	return m.replace(s, alone, sp.Pos())
}

// addSpec adds one new spec of a group that also replaces others.
func (m *merger) addSpec(tok token.Token, sp ast.Spec, text string) error {
	if v, ok := sp.(*ast.ValueSpec); ok && tok == token.CONST && len(v.Values) == 0 {
		return m.a.mergeError(sp.Pos(), "const %s takes its value from its group; give it a value or put the group's new specs in a group of their own", v.Names[0].Name)
	}
	m.added = append(m.added, text)
	return nil
}

// slotFor finds the stub declaration a spec replaces, or nil when the spec
// is new. A spec must declare the same names as the one it replaces.
func (m *merger) slotFor(sp ast.Spec) (*slot, error) {
	names := specNames(sp)
	var s *slot
	matched := 0
	for _, n := range names {
		t, ok := m.slots[n]
		if !ok {
			continue
		}
		if s != nil && t != s {
			return nil, m.a.mergeError(sp.Pos(), "%s joins names the stub declares apart; declare them as the stub does", strings.Join(names, ", "))
		}
		s = t
		matched++
	}
	if s != nil && (matched != len(names) || !slices.Equal(s.names, names)) {
		return nil, m.a.mergeError(sp.Pos(), "the stub declares %s together; the answer must declare the same names", strings.Join(s.names, ", "))
	}
	return s, nil
}

func (m *merger) replace(s *slot, text string, pos token.Pos) error {
	if s.taken {
		return m.a.mergeError(pos, "the answer declares this name twice")
	}
	s.taken = true
	m.edits = append(m.edits, edit{start: s.start, end: s.end, text: text})
	return nil
}

// splice applies the edits to the stub and appends the new declarations.
func (m *merger) splice() []byte {
	// From the end backwards, so that the offsets still to use stay valid.
	edits := slices.Clone(m.edits)
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(b.start, a.start) })
	out := slices.Clone(m.stub)
	for _, e := range edits {
		out = slices.Concat(out[:e.start], []byte(e.text), out[e.end:])
	}
	for _, text := range m.added {
		out = append(bytes.TrimRight(out, "\n"), "\n\n"+text+"\n"...)
	}
	return out
}

// text is the answer's source between two positions.
func (a *Answer) text(from, to token.Pos) string {
	return string(a.src[a.fset.Position(from).Offset:a.fset.Position(to).Offset])
}

func (a *Answer) mergeError(pos token.Pos, format string, args ...any) error {
	return &MergeError{Pos: a.fset.Position(pos), Problem: fmt.Sprintf(format, args...)}
}

// funcKey names a func by its name and a method by its receiver's type and
// its name, so that (s *Store) and (st Store) match.
func funcKey(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name + "." + d.Name.Name
		default:
			return d.Name.Name
		}
	}
}

// specNames lists what a spec declares, sorted, without _.
func specNames(sp ast.Spec) []string {
	var names []string
	switch sp := sp.(type) {
	case *ast.ValueSpec:
		for _, n := range sp.Names {
			if n.Name != "_" {
				names = append(names, n.Name)
			}
		}
	case *ast.TypeSpec:
		names = append(names, sp.Name.Name)
	}
	slices.Sort(names)
	return names
}

func specDoc(sp ast.Spec) *ast.CommentGroup {
	switch sp := sp.(type) {
	case *ast.ValueSpec:
		return sp.Doc
	case *ast.TypeSpec:
		return sp.Doc
	}
	return nil
}

// specEnd is where a spec ends, its line comment included.
func specEnd(sp ast.Spec) token.Pos {
	var c *ast.CommentGroup
	switch sp := sp.(type) {
	case *ast.ValueSpec:
		c = sp.Comment
	case *ast.TypeSpec:
		c = sp.Comment
	}
	if c != nil {
		return c.End()
	}
	return sp.End()
}

func docStart(doc *ast.CommentGroup, pos token.Pos) token.Pos {
	if doc != nil {
		return doc.Pos()
	}
	return pos
}

// fixImports adds the answer's imports to the merged file, drops those it
// no longer uses and formats it.
func (m *merger) fixImports(merged []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "merged.go", merged, parser.ParseComments)
	if err != nil {
		return nil, m.a.mergeError(m.a.file.Package, "the merged file does not parse: %v", err)
	}
	for _, imp := range m.a.file.Imports {
		addImport(fset, f, imp)
	}
	dropUnused(fset, f)
	ast.SortImports(fset, f)
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, m.a.mergeError(m.a.file.Package, "format the merged file: %v", err)
	}
	return format.Source(buf.Bytes())
}
