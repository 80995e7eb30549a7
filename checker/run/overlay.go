package run

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

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
//   - the lesson's pristine *_test.go files, and no other test file in the
//     lesson folder, so an edited or added check file changes nothing;
//   - the checker library's pristine sources, and no other file in checker/;
//   - in Stub and Solution modes the pristine stub, then the solution over it;
//   - finally the caller's Replace files.
func planOverlay(ws string, l lessons.Lesson, mode Mode, src Sources, replace map[string][]byte) (overlay, error) {
	ov := overlay{}
	lessonDir := filepath.Join(ws, "exercises", l.Dir)

	checks, stubs, err := readGoFiles(src.Exercises, l.Dir)
	if err != nil {
		return nil, err
	}
	if len(checks) == 0 {
		return nil, fmt.Errorf("lesson %s has no check file (exercises/%s/*_test.go) in this dblings build", l.ID, l.Dir)
	}
	ov.layOnly(lessonDir, checks, isTestFile)

	// The checker's own tests are no part of a check build.
	_, lib, err := readGoFiles(src.Checker, ".")
	if err != nil {
		return nil, err
	}
	ov.layOnly(filepath.Join(ws, "checker"), lib, isLibraryFile)

	if mode == Stub || mode == Solution {
		ov.layOnly(lessonDir, stubs, isLibraryFile)
	}
	if mode == Solution {
		_, solution, err := readGoFiles(src.Solutions, l.Dir)
		if err != nil {
			return nil, err
		}
		if len(solution) == 0 {
			return nil, fmt.Errorf("lesson %s has no solution (solutions/%s/*.go) in this dblings build", l.ID, l.Dir)
		}
		ov.lay(lessonDir, solution)
	}
	for rel, content := range replace {
		target, err := workspacePath(ws, rel)
		if err != nil {
			return nil, err
		}
		ov[target] = layer{content: content}
	}
	return ov, nil
}

// layOnly lays files into dir and hides every other file there that match
// selects, so the build sees exactly the given set of such files.
func (ov overlay) layOnly(dir string, files map[string][]byte, match func(string) bool) {
	entries, _ := os.ReadDir(dir) // a missing folder just has nothing to hide
	for _, e := range entries {
		if _, shipped := files[e.Name()]; !shipped && !e.IsDir() && match(e.Name()) {
			ov[filepath.Join(dir, e.Name())] = layer{hide: true}
		}
	}
	ov.lay(dir, files)
}

func (ov overlay) lay(dir string, files map[string][]byte) {
	for name, content := range files {
		ov[filepath.Join(dir, name)] = layer{content: content}
	}
}

// readGoFiles returns the .go files directly in dir of fsys, split into
// test files and the others.
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
