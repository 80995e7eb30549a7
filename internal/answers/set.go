package answers

import (
	"fmt"
	"os"
	"path"
)

// Dir is the folder of a lesson's answers, relative to the repository root
// (slash-separated): lessons/<dir>/answers.
func Dir(lessonDir string) string { return path.Join("lessons", lessonDir, "answers") }

// Set is a lesson's answers, sorted by name, with the file each stands for.
type Set struct {
	Answers []*Answer
	// Files holds, by answer name, the answer laid over its base.
	Files map[string][]byte
}

// LoadSet reads the answers in dir and lays each over its base. stubPath
// and solutionPath are the lesson's pristine exercise file and its
// reference solution.
func LoadSet(dir, stubPath, solutionPath string) (*Set, error) {
	list, err := Load(dir)
	if err != nil {
		return nil, err
	}
	stub, err := os.ReadFile(stubPath)
	if err != nil {
		return nil, fmt.Errorf("read the stub: %w", err)
	}
	solution, err := os.ReadFile(solutionPath)
	if err != nil {
		return nil, fmt.Errorf("read the reference solution: %w", err)
	}
	files, err := Files(stub, solution, list)
	if err != nil {
		return nil, err
	}
	return &Set{Answers: list, Files: files}, nil
}

// Solution is what over= says to lay an answer over the lesson's reference
// solution. No answer may take it as its name.
const Solution = "solution"

// Files returns, by answer name, the file each answer of a set stands for:
// its declarations laid over its base, which is the stub, the reference
// solution or the file of another answer of the set. stub and solution are
// the lesson's pristine exercise file and its reference solution.
func Files(stub, solution []byte, set []*Answer) (map[string][]byte, error) {
	r := &resolver{
		stub:     stub,
		solution: solution,
		byName:   map[string]*Answer{},
		files:    map[string][]byte{},
		visiting: map[string]bool{},
	}
	for _, a := range set {
		r.byName[a.Name] = a
	}
	for _, a := range set {
		if _, err := r.file(a); err != nil {
			return nil, err
		}
	}
	return r.files, nil
}

// resolver merges each answer once, its base first.
type resolver struct {
	stub, solution []byte
	byName         map[string]*Answer
	files          map[string][]byte
	visiting       map[string]bool // the chain of bases being merged, to catch a loop
}

func (r *resolver) file(a *Answer) ([]byte, error) {
	if f, ok := r.files[a.Name]; ok {
		return f, nil
	}
	if a.Name == Solution {
		return nil, a.mergeError(a.file.Package, "an answer cannot be named %q: over=%s means the reference solution", Solution, Solution)
	}
	if r.visiting[a.Name] {
		return nil, a.mergeError(a.directivePos, "over=%s leads back to %s", a.Over, a.Name)
	}
	r.visiting[a.Name] = true
	defer delete(r.visiting, a.Name)
	base, err := r.base(a)
	if err != nil {
		return nil, err
	}
	f, err := Apply(base, a)
	if err != nil {
		return nil, err
	}
	r.files[a.Name] = f
	return f, nil
}

func (r *resolver) base(a *Answer) ([]byte, error) {
	switch a.Over {
	case "":
		return r.stub, nil
	case Solution:
		return r.solution, nil
	}
	b, ok := r.byName[a.Over]
	if !ok {
		return nil, a.mergeError(a.directivePos, "over=%s names no answer of the set", a.Over)
	}
	return r.file(b)
}
