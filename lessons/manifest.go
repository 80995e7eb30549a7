package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// ManifestFile is the name of a lesson's manifest in its folder.
const ManifestFile = "lesson.toml"

// manifest is lesson.toml as written. Example:
//
//	id      = "explain-index"
//	title   = "EXPLAIN: flip a Seq Scan to an Index Scan"
//	file    = "index.go"
//	fixture = "blog"
//	minutes = 20
//	points  = 10   # optional: DefaultPoints
//	teaches = ["Indexing strategy", "Reading EXPLAIN"]
//
//	[servers]
//	postgres = 1
//	redis    = true
//	replica  = true   # optional: a streaming replica of the first server
//	replica_lag = "1s" # optional, with replica: the replica applies each commit that late
//	archive  = true   # optional: the archiving server, base backups and point-in-time restores
//
//	[check]        # optional
//	race = true
type manifest struct {
	ID      string   `toml:"id"`
	Title   string   `toml:"title"`
	File    string   `toml:"file"`
	Fixture string   `toml:"fixture"`
	Minutes int      `toml:"minutes"`
	Points  *int     `toml:"points"` // nil: DefaultPoints
	Teaches []string `toml:"teaches"`
	Servers struct {
		Postgres int  `toml:"postgres"`
		Redis    bool `toml:"redis"`
		Replica  bool `toml:"replica"`
		// ReplicaLag is a Go duration ("1s"); "" for none.
		ReplicaLag string `toml:"replica_lag"`
		Archive    bool   `toml:"archive"`
	} `toml:"servers"`
	Check struct {
		Race bool `toml:"race"`
	} `toml:"check"`
}

// DefaultPoints is what a lesson is worth when its manifest does not say;
// MaxPoints bounds what it may say.
const (
	DefaultPoints = 10
	MaxPoints     = 1000
)

// points is what the lesson is worth in grade's score.
func (m manifest) points() int {
	if m.Points == nil {
		return DefaultPoints
	}
	return *m.Points
}

// ManifestError says what is wrong with one lesson's manifest, for the
// author who wrote it.
type ManifestError struct {
	Path    string // lessons/<dir>/lesson.toml
	Problem string
}

func (e *ManifestError) Error() string { return e.Path + ": " + e.Problem }

var (
	idPattern  = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	dirPattern = regexp.MustCompile(`^[0-9]{2,3}-(.+)$`)
)

// Load reads the catalog from a lessons tree: every folder named
// <number>-<id> is a lesson, in name order.
func Load(tree fs.FS) (Catalog, error) {
	entries, err := fs.ReadDir(tree, ".")
	if err != nil {
		return nil, fmt.Errorf("read the lessons: %w", err)
	}
	var c Catalog
	var problems []error
	for _, e := range entries {
		if !e.IsDir() || !dirPattern.MatchString(e.Name()) {
			continue
		}
		l, err := loadLesson(tree, e.Name())
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if c.Index(l.ID) >= 0 {
			problems = append(problems, &ManifestError{Path: manifestPath(e.Name()), Problem: fmt.Sprintf("the id %q is used by two lessons", l.ID)})
			continue
		}
		c = append(c, l)
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	if len(c) == 0 {
		return nil, errors.New("no lessons found: every lesson is a folder <number>-<id> holding a lesson.toml")
	}
	return c, nil
}

func manifestPath(dir string) string { return path.Join("lessons", dir, ManifestFile) }

func loadLesson(tree fs.FS, dir string) (Lesson, error) {
	where := manifestPath(dir)
	data, err := fs.ReadFile(tree, path.Join(dir, ManifestFile))
	if err != nil {
		return Lesson{}, &ManifestError{Path: where, Problem: "missing: every lesson folder declares its lesson in lesson.toml (dblings new scaffolds one)"}
	}
	var m manifest
	meta, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&m)
	if err != nil {
		return Lesson{}, &ManifestError{Path: where, Problem: err.Error()}
	}
	if undecoded := meta.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return Lesson{}, &ManifestError{Path: where, Problem: "unknown keys: " + strings.Join(keys, ", ")}
	}
	if problem := m.validate(dir); problem != "" {
		return Lesson{}, &ManifestError{Path: where, Problem: problem}
	}
	lag, problem := m.replicaLag()
	if problem != "" {
		return Lesson{}, &ManifestError{Path: where, Problem: problem}
	}
	texts, err := fs.Sub(tree, dir)
	if err != nil {
		return Lesson{}, err
	}
	return Lesson{
		ID: m.ID, Dir: dir, Title: m.Title, File: m.File, Fixture: m.Fixture,
		PostgresServers: m.Servers.Postgres, Redis: m.Servers.Redis, Race: m.Check.Race,
		Replica: m.Servers.Replica, ReplicaLag: lag, Archive: m.Servers.Archive,
		Minutes: m.Minutes, Points: m.points(), Teaches: m.Teaches, texts: texts,
	}, nil
}

// maxReplicaLag bounds servers.replica_lag: a check waits for every
// commit that long, and a lag of seconds already makes every stale read
// certain.
const maxReplicaLag = 10 * time.Second

// replicaLag is servers.replica_lag as a duration, or what is wrong with
// it. It needs servers.replica: the lag is the replica's.
func (m manifest) replicaLag() (time.Duration, string) {
	if m.Servers.ReplicaLag == "" {
		return 0, ""
	}
	if !m.Servers.Replica {
		return 0, "servers.replica_lag needs servers.replica = true: the lag is the replica's"
	}
	lag, err := time.ParseDuration(m.Servers.ReplicaLag)
	if err != nil || lag <= 0 || lag > maxReplicaLag {
		return 0, fmt.Sprintf("servers.replica_lag %q must be a Go duration above 0 and at most %s, e.g. \"800ms\"", m.Servers.ReplicaLag, maxReplicaLag)
	}
	return lag, ""
}

// validate returns what is wrong with the manifest of the lesson in dir,
// or "".
func (m manifest) validate(dir string) string {
	switch {
	case !idPattern.MatchString(m.ID):
		return fmt.Sprintf("id %q must be lower-case words joined by hyphens, e.g. \"explain-index\"", m.ID)
	case dirPattern.FindStringSubmatch(dir)[1] != m.ID:
		return fmt.Sprintf("the folder %s must be named <number>-%s, after the lesson's id", dir, m.ID)
	case strings.TrimSpace(m.Title) == "":
		return "title is missing"
	case path.Base(m.File) != m.File || !strings.HasSuffix(m.File, ".go") || strings.HasSuffix(m.File, "_test.go"):
		return fmt.Sprintf("file %q must be the name of the exercise's Go file in exercises/%s, e.g. \"index.go\"", m.File, dir)
	case m.Fixture == "":
		return "fixture is missing: name the data set the check runs on"
	case m.Servers.Postgres < 1:
		return "servers.postgres must be at least 1"
	case m.Minutes < 1:
		return "minutes (the estimated time for a learner) must be at least 1"
	case m.Points != nil && (*m.Points < 0 || *m.Points > MaxPoints):
		return fmt.Sprintf("points must be between 0 and %d (or left out for %d)", MaxPoints, DefaultPoints)
	case len(m.Teaches) == 0:
		return "teaches must name at least one pattern of the seed texts"
	}
	return ""
}
