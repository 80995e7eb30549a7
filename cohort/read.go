// Package cohort rolls up a class: it reads the results.json that `dblings
// grade --format json` wrote for each learner and tells, per learner and
// lesson, how it went and what it earned, and, per lesson, the assertions
// most of the room fails: what the room is stuck on.
//
// A file that cannot be read, is damaged, or comes from another version
// is set aside by name with the reason; the others are all counted.
package cohort

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dblings/dblings/report"
)

// resultsVersion is the results.json version grade writes (Exercism's 3).
const resultsVersion = 3

// file is the part of a results.json a roll-up reads.
type file struct {
	Version  *int                  `json:"version"`
	Learner  string                `json:"learner"`
	Score    *float64              `json:"score"`
	MaxScore *float64              `json:"max_score"`
	Lessons  []report.LessonResult `json:"lessons"`
	Tests    []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"tests"`
}

// Learner is one learner's results.
type Learner struct {
	Name string
	// File is where the results were read.
	File            string
	Score, MaxScore float64
	Lessons         []report.LessonResult
	// Failing lists, by lesson id, the assertions that did not hold.
	Failing map[string][]string
}

// Skipped is a file that was not counted, and why.
type Skipped struct {
	File    string
	Problem string
}

// ReadError says why one results file cannot be counted.
type ReadError struct {
	File    string
	Problem string
}

func (e *ReadError) Error() string { return e.File + ": " + e.Problem }

// Read reads the results files named by paths: files, or folders searched
// for *.json files at any depth. Files that cannot be counted come back in
// skipped; err is set only when a path itself cannot be read.
func Read(paths []string) (learners []Learner, skipped []Skipped, err error) {
	files, err := expand(paths)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		l, err := ReadFile(f)
		var bad *ReadError
		if errors.As(err, &bad) {
			skipped = append(skipped, Skipped{File: f, Problem: bad.Problem})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		learners = append(learners, l)
	}
	return nameApart(learners), skipped, nil
}

// expand turns folders into the JSON files they hold, in name order.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read the results: %w", err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".json") {
				found = append(found, path)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read the results in %s: %w", p, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// ReadFile reads one learner's results.json. A file that is not one that
// grade writes comes back as a *ReadError saying why.
func ReadFile(path string) (Learner, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Learner{}, &ReadError{File: path, Problem: "cannot be read: " + err.Error()}
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return Learner{}, &ReadError{File: path, Problem: "damaged, not a results.json: " + err.Error()}
	}
	if problem := f.problem(); problem != "" {
		return Learner{}, &ReadError{File: path, Problem: problem}
	}
	l := Learner{Name: f.Learner, File: path, Score: *f.Score, MaxScore: *f.MaxScore, Lessons: f.Lessons, Failing: map[string][]string{}}
	if l.Name == "" {
		l.Name = nameOf(path)
	}
	for _, t := range f.Tests {
		if t.Status != "pass" {
			id, assertion, _ := strings.Cut(t.Name, "/")
			l.Failing[id] = append(l.Failing[id], assertion)
		}
	}
	return l, nil
}

// problem says why f is not a results.json of this dblings, or "".
func (f file) problem() string {
	switch {
	case f.Version == nil:
		return "not a results.json: it has no version"
	case *f.Version != resultsVersion:
		return fmt.Sprintf("results.json version %d; this dblings reads version %d", *f.Version, resultsVersion)
	case f.Score == nil || f.MaxScore == nil || f.Lessons == nil:
		return "written by an older dblings, without points: grade again with this one"
	}
	for _, l := range f.Lessons {
		if l.ID == "" {
			return "damaged: a lesson without an id"
		}
	}
	return ""
}

// nameOf names a learner after their results file: alice.json is alice,
// and a file named results.json (one folder per learner, as CI artifacts
// are downloaded) takes its folder's name.
func nameOf(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if strings.EqualFold(base, "results") {
		if dir := filepath.Base(filepath.Dir(path)); dir != "." && dir != string(filepath.Separator) {
			return dir
		}
	}
	return base
}

// nameApart keeps two files of the same name from merging into one row:
// the later ones are named after their file as well.
func nameApart(learners []Learner) []Learner {
	seen := map[string]bool{}
	for i, l := range learners {
		if seen[l.Name] {
			learners[i].Name = l.Name + " (" + l.File + ")"
		}
		seen[learners[i].Name] = true
	}
	return learners
}
