package answers

import (
	"go/ast"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ast/astutil"
)

// addImport adds one of the answer's imports to the merged file, unless it
// is there already.
func addImport(fset *token.FileSet, f *ast.File, imp *ast.ImportSpec) {
	p, err := strconv.Unquote(imp.Path.Value)
	if err != nil {
		return // the parser accepted it, so this cannot happen
	}
	astutil.AddNamedImport(fset, f, importName(imp), p)
}

// dropUnused deletes the imports whose name qualifies nothing in the file.
// astutil.UsesImport would guess a package's name from the last element of
// its path alone, and so call "github.com/jackc/pgx/v5" unused; the guess
// here skips version suffixes the way goimports does.
func dropUnused(fset *token.FileSet, f *ast.File) {
	used := qualifiers(f)
	for _, imp := range slices.Clone(f.Imports) {
		name := importName(imp)
		if name == "_" || name == "." {
			continue // imported for its side effects or into the file's scope
		}
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if used[name] || name == "" && used[assumedName(p)] {
			continue
		}
		astutil.DeleteNamedImport(fset, f, name, p)
	}
}

func importName(imp *ast.ImportSpec) string {
	if imp.Name == nil {
		return ""
	}
	return imp.Name.Name
}

// qualifiers lists the identifiers that stand left of a dot, X in X.Sel:
// the package names a file uses, and some variables too, which only keeps
// an import that a local variable of the same name shadows.
func qualifiers(f *ast.File) map[string]bool {
	used := map[string]bool{}
	for _, d := range f.Decls {
		ast.Inspect(d, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
	}
	return used
}

// assumedName is the package name an import path most likely declares:
// "github.com/jackc/pgx/v5" is pgx, "github.com/redis/go-redis/v9" is
// redis, "gopkg.in/yaml.v3" is yaml.
func assumedName(importPath string) string {
	base := path.Base(importPath)
	if isMajorVersion(base) && path.Dir(importPath) != "." {
		base = path.Base(path.Dir(importPath))
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexFunc(base, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	}); i >= 0 {
		base = base[:i]
	}
	return base
}

// isMajorVersion reports whether a path element is a module's major
// version suffix (v2, v10).
func isMajorVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	_, err := strconv.Atoi(s[1:])
	return err == nil
}
