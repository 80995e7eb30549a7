package run

import (
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/dblings/dblings/lessons"
)

// overlay is what the build sees instead of the workspace's own files:
// absolute path → the content laid there, or hidden when hide is set. It
// becomes the JSON file of go build -overlay.
type overlay map[string]layer

type layer struct {
	content []byte
	hide    bool
}

// planOverlay decides which files a check build sees:
//   - in the lesson's folder, the pristine *_test.go files and no other
//     test file, so an edited or added check file changes nothing;
//   - every other package of this module the build imports (checker,
//     fixtures, and what they import in turn): exactly its pristine
//     files, so an edited or added file there changes nothing either;
//   - in Stub and Solution modes the pristine stub, then the solution over it;
//   - finally the caller's Replace files.
func planOverlay(ws string, l lessons.Lesson, mode Mode, src fs.FS, replace map[string][]byte) (overlay, error) {
	ov := overlay{}
	exerciseDir := path.Join("exercises", l.Dir)
	checks, stubs, err := readGoFiles(src, exerciseDir)
	if err != nil {
		return nil, err
	}
	if len(checks) == 0 {
		return nil, fmt.Errorf("lesson %s has no check file (%s/*_test.go) in this dblings build", l.ID, exerciseDir)
	}
	ov.layOnly(ws, exerciseDir, checks, isTestFile)
	if mode == Stub || mode == Solution {
		ov.layOnly(ws, exerciseDir, stubs, isLibraryFile)
	}
	if mode == Solution {
		_, solution, err := readGoFiles(src, path.Join("solutions", l.Dir))
		if err != nil {
			return nil, err
		}
		if len(solution) == 0 {
			return nil, fmt.Errorf("lesson %s has no solution (solutions/%s/*.go) in this dblings build", l.ID, l.Dir)
		}
		ov.lay(ws, exerciseDir, solution)
	}
	for rel, content := range replace {
		target, err := workspacePath(ws, rel)
		if err != nil {
			return nil, err
		}
		ov[target] = layer{content: content}
	}
	if err := ov.pinImports(ws, exerciseDir, src); err != nil {
		return nil, err
	}
	return ov, nil
}

// pinImports lays the pristine files of every package of this module that
// the lesson's package imports, directly or not, over the workspace's. The
// imports are read from what the build will compile in the lesson's folder:
// the check, and the learner's files as they are or as laid.
func (ov overlay) pinImports(ws, exerciseDir string, src fs.FS) error {
	module, err := modulePath(src)
	if err != nil {
		return err
	}
	files, err := ov.lessonFiles(ws, exerciseDir)
	if err != nil {
		return err
	}
	pinned := map[string]bool{exerciseDir: true}
	queue := importsOf(files, module)
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		if pinned[dir] {
			continue
		}
		pinned[dir] = true
		_, lib, err := readGoFiles(src, dir)
		if err != nil {
			return err
		}
		if len(lib) == 0 {
			continue // not shipped: the learner's own package, or none at all
		}
		ov.layOnly(ws, dir, lib, isLibraryFile)
		queue = append(queue, importsOf(lib, module)...)
	}
	return nil
}

// lessonFiles are the Go files the build compiles in the lesson's folder:
// what is laid there, and the workspace's files the overlay leaves visible.
func (ov overlay) lessonFiles(ws, exerciseDir string) (map[string][]byte, error) {
	dir := filepath.Join(ws, filepath.FromSlash(exerciseDir))
	files := map[string][]byte{}
	entries, _ := os.ReadDir(dir) // a missing folder shows only what is laid
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			files[filepath.Join(dir, e.Name())] = nil
		}
	}
	for target, l := range ov {
		if filepath.Dir(target) == dir && strings.HasSuffix(target, ".go") {
			files[target] = l.content
			if l.hide {
				delete(files, target)
			}
		}
	}
	for name, content := range files {
		if content == nil {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			files[name] = data
		}
	}
	return files, nil
}

// importsOf lists the module-relative folders of the packages of module
// that files import. A file that does not parse imports nothing here: the
// compiler will say what is wrong with it.
func importsOf(files map[string][]byte, module string) []string {
	var dirs []string
	fset := token.NewFileSet()
	for name, content := range files {
		f, err := parser.ParseFile(fset, name, content, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				continue
			}
			if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				dirs = append(dirs, rest)
			}
		}
	}
	return dirs
}

// modulePath reads the module's path from the pristine go.mod.
func modulePath(src fs.FS) (string, error) {
	data, err := fs.ReadFile(src, "go.mod")
	if err != nil {
		return "", fmt.Errorf("this dblings build has no go.mod among its sources: %w", err)
	}
	module := modfile.ModulePath(data)
	if module == "" {
		return "", fmt.Errorf("the go.mod built into dblings names no module")
	}
	return module, nil
}

// layOnly lays files into the workspace folder rel and hides every other
// file there that match selects, so the build sees exactly the given set
// of such files.
func (ov overlay) layOnly(ws, rel string, files map[string][]byte, match func(string) bool) {
	dir := filepath.Join(ws, filepath.FromSlash(rel))
	entries, _ := os.ReadDir(dir) // a missing folder just has nothing to hide
	for _, e := range entries {
		if _, shipped := files[e.Name()]; !shipped && !e.IsDir() && match(e.Name()) {
			ov[filepath.Join(dir, e.Name())] = layer{hide: true}
		}
	}
	ov.lay(ws, rel, files)
}

func (ov overlay) lay(ws, rel string, files map[string][]byte) {
	dir := filepath.Join(ws, filepath.FromSlash(rel))
	for name, content := range files {
		ov[filepath.Join(dir, name)] = layer{content: content}
	}
}

// readGoFiles returns the .go files directly in dir of fsys, split into
// test files and the others, by base name.
func readGoFiles(fsys fs.FS, dir string) (tests, others map[string][]byte, err error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	tests, others = map[string][]byte{}, map[string][]byte{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("read built-in %s: %w", name, err)
		}
		if isTestFile(path.Base(name)) {
			tests[path.Base(name)] = data
		} else {
			others[path.Base(name)] = data
		}
	}
	return tests, others, nil
}

func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.go") }

func isLibraryFile(name string) bool { return strings.HasSuffix(name, ".go") && !isTestFile(name) }

// workspacePath turns a workspace-relative slash path into an absolute one,
// refusing paths that leave the workspace.
func workspacePath(ws, rel string) (string, error) {
	clean := path.Clean(rel)
	if !fs.ValidPath(clean) || clean == "." {
		return "", fmt.Errorf("replace path %q must be relative to the workspace and stay inside it", rel)
	}
	return filepath.Join(ws, filepath.FromSlash(clean)), nil
}

// write stores the overlay's contents as files in dir and returns the path
// of the -overlay JSON file, and which target each content file stands for
// (the compiler names content files in its messages).
func (ov overlay) write(dir string) (jsonPath string, origins map[string]string, err error) {
	contentDir := filepath.Join(dir, "overlay")
	if err := os.MkdirAll(contentDir, 0o755); err != nil {
		return "", nil, err
	}
	replace := map[string]string{}
	origins = map[string]string{}
	i := 0
	for target, l := range ov {
		if l.hide {
			replace[target] = ""
			continue
		}
		i++
		file := filepath.Join(contentDir, strconv.Itoa(i)+"-"+filepath.Base(target))
		if err := os.WriteFile(file, l.content, 0o644); err != nil {
			return "", nil, err
		}
		replace[target] = file
		origins[file] = target
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return "", nil, err
	}
	jsonPath = filepath.Join(dir, "overlay.json")
	return jsonPath, origins, os.WriteFile(jsonPath, data, 0o644)
}
