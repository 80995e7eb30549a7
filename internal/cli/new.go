package cli

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"

	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
)

// newOptions are the flags of "dblings new".
type newOptions struct {
	title    string
	fixture  string
	file     string
	postgres int
	redis    bool
}

func newNewCmd(f *Factory) *cobra.Command {
	opts := &newOptions{}
	cmd := &cobra.Command{
		Use:   "new <id>",
		Short: "Scaffold the next lesson in this checkout (for lesson authors)",
		Long: `Create the next-numbered lesson in the dblings checkout, with every file a
lesson needs, and add it to the README's lesson list:

  lessons/NN-<id>/lesson.toml     the manifest (id, title, file, fixture, servers)
  lessons/NN-<id>/lesson.md       the text, with the sections every lesson has
  lessons/NN-<id>/hints.md        three hints
  lessons/NN-<id>/answers/        one right and one wrong answer, as examples
  lessons/NN-<id>/check/          the check's logic (compiled once, cached)
  lessons/NN-<id>/witness.go      the second witness, registered in lessons/witnesses
  exercises/NN-<id>/<file>        the stub the learner edits
  exercises/NN-<id>/check_test.go hands the learner's code to the check
  solutions/NN-<id>/<file>        the reference solution

The id is lower-case words joined by hyphens. Nothing is written when
anything is wrong, and no existing file is ever overwritten.

The files hold a small working example: its stub fails, its solution
passes and its two answers get the verdicts they declare, so "dblings
verify" and the answers test work from the start. Every "TODO(author)"
marks what to replace with the lesson. The answer-set test fails until the
lesson has at least 5 wrong and 2 right answers, on purpose.
docs/AUTHORING.md walks through writing the lesson.`,
		Example: `  dblings new read-replicas --title "Read replicas" --postgres 2
  dblings new hot-keys --fixture users --redis --file keys.go`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("%s takes one lesson id, e.g. %s read-replicas", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error { return runNew(f, args[0], opts) },
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.title, "title", "", "the lesson's title (default: the id in words)")
	fl.StringVar(&opts.fixture, "fixture", "blog", "the data set the check runs on: "+strings.Join(fixtures.Names(), ", "))
	fl.StringVar(&opts.file, "file", "", "the exercise's Go file (default: the id's last word, e.g. replicas.go)")
	fl.IntVar(&opts.postgres, "postgres", 1, "how many Postgres servers the check needs")
	fl.BoolVar(&opts.redis, "redis", false, "the check needs a Redis server")
	return cmd
}

func runNew(f *Factory, id string, opts *newOptions) error {
	sk, err := opts.skeleton(id)
	if err != nil {
		return err
	}
	root, err := f.Workspace()
	if err != nil {
		return err
	}
	plan, err := planLesson(root, sk)
	if err != nil {
		return err
	}
	if err := plan.write(root); err != nil {
		return err
	}
	return plan.print(f.IO.Out)
}

// The rules an id and a file name follow. The id rule is the manifest's
// (see package lessons); the file rule is stricter than Go's, so that no
// name can turn into a build constraint (x_test.go, x_linux.go).
var (
	newIDPattern   = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	newFilePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.go$`)
	lessonDirRule  = regexp.MustCompile(`^([0-9]{2,3})-(.+)$`)
)

// skeleton checks what the command line gave, before anything is read
// from the workspace, and fills in the defaults.
func (o *newOptions) skeleton(id string) (*skeleton, error) {
	if !newIDPattern.MatchString(id) {
		return nil, usageError("lesson id %q must be lower-case words joined by hyphens, e.g. read-replicas", id)
	}
	title := strings.TrimSpace(o.title)
	if o.title == "" {
		title = titleOf(id)
	}
	switch {
	case title == "":
		return nil, usageError("--title is empty; give the lesson's title, e.g. --title %q", titleOf(id))
	case strings.ContainsFunc(title, unicode.IsControl):
		return nil, usageError("--title must be one line of text")
	case strings.Contains(title, "|"):
		return nil, usageError("--title cannot hold %q: it would break the README's lesson table", "|")
	}
	fixture, err := fixtures.Lookup(o.fixture)
	if err != nil {
		return nil, usageError("--fixture: %v", err)
	}
	pkg := packageOf(id)
	file := o.file
	if file == "" {
		file = defaultFile(id, pkg)
	}
	if !newFilePattern.MatchString(file) {
		return nil, usageError("--file %q must be a Go file name of lower-case letters, digits and hyphens, e.g. replicas.go "+
			"(no folders, and no underscore: Go reads endings like _test and _linux as build constraints)", file)
	}
	if o.postgres < 1 {
		return nil, usageError("--postgres %d: a check needs at least 1 Postgres server", o.postgres)
	}
	sk := &skeleton{
		ID: id, Title: title, File: file, Package: pkg, TestName: "Test" + camelOf(id),
		Fixture: fixture.Name, FixtureAbout: fixture.About, Fixtures: strings.Join(fixtures.Names(), ", "),
		Postgres: o.postgres, Redis: o.redis, Minutes: scaffoldMinutes,
	}
	sk.example = exampleFor(fixture)
	return sk, nil
}

// titleOf spells an id as a title: "read-replicas" becomes "Read replicas".
func titleOf(id string) string {
	words := strings.ReplaceAll(id, "-", " ")
	return strings.ToUpper(words[:1]) + words[1:]
}

// camelOf joins an id's words with capitals: "read-replicas" becomes
// "ReadReplicas".
func camelOf(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// packageOf is the Go package of the lesson's stub and solution: the id
// without its hyphens, unless that is a keyword or main.
func packageOf(id string) string {
	name := strings.ReplaceAll(id, "-", "")
	if token.IsKeyword(name) || name == "main" {
		name += "lesson"
	}
	return name
}

// defaultFile names the exercise after the id's last word, as the first
// lessons do (explain-index has index.go).
func defaultFile(id, pkg string) string {
	words := strings.Split(id, "-")
	last := words[len(words)-1]
	if last[0] >= 'a' && last[0] <= 'z' {
		return last + ".go"
	}
	return pkg + ".go"
}

// exampleFor picks what the scaffold's example counts: the rows of the
// fixture's largest table, or, for a fixture that starts empty, the tables
// it creates. Either way the stub's 0 is wrong.
func exampleFor(fx *fixtures.Fixture) example {
	rows := fx.Rows(0)
	largest := ""
	for _, t := range slices.Sorted(maps.Keys(rows)) {
		if rows[t] > 0 && (largest == "" || rows[t] > rows[largest]) {
			largest = t
		}
	}
	if largest == "" {
		return example{
			Func:     "CountTables",
			Query:    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'",
			Counted:  "tables in the public schema",
			Snapshot: "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'",
		}
	}
	return example{Func: "CountRows", Query: "SELECT count(*) FROM " + largest, Counted: "rows in " + largest, Snapshot: "SELECT * FROM " + largest}
}

// scaffoldFile is one file the scaffold writes, its path relative to the
// workspace and slash-separated.
type scaffoldFile struct {
	path, about string
	content     []byte
}

// lessonPlan is everything "new" writes, worked out before any of it is.
type lessonPlan struct {
	sk     *skeleton
	dirs   []string // created in order, each must not exist
	files  []scaffoldFile
	readme []byte // README.md with the new lesson in its list
	// witnesses is lessons/witnesses/witnesses.go with the new lesson's
	// witness registered.
	witnesses []byte
}

// planLesson reads the workspace, numbers the lesson and renders every
// file. It refuses, writing nothing, when the id is taken or the checkout
// is not one a lesson can be added to.
func planLesson(root string, sk *skeleton) (*lessonPlan, error) {
	for _, need := range []string{"lessons", "exercises", "solutions"} {
		if fi, err := os.Stat(filepath.Join(root, need)); err != nil || !fi.IsDir() {
			return nil, usageError("%s has no %s/ folder: dblings new adds a lesson to a dblings checkout", root, need)
		}
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return nil, usageError("%s has no README.md: dblings new adds a lesson to a dblings checkout, and lists it in its README", root)
	}
	catalog, err := lessons.Load(os.DirFS(filepath.Join(root, "lessons")))
	if err != nil {
		return nil, fmt.Errorf("the lessons of this checkout do not load; fix them before adding one: %w", err)
	}
	if i := catalog.Index(sk.ID); i >= 0 {
		return nil, usageError("there is already a lesson %q (lessons/%s); choose another id", sk.ID, catalog[i].Dir)
	}
	number, width, err := nextNumber(root, sk.ID)
	if err != nil {
		return nil, err
	}
	sk.Number, sk.Dir = number, fmt.Sprintf("%0*d-%s", width, number, sk.ID)

	plan := &lessonPlan{sk: sk}
	lessonDir := path.Join("lessons", sk.Dir)
	plan.dirs = []string{lessonDir, path.Join(lessonDir, "answers"), path.Join(lessonDir, "check"), path.Join("exercises", sk.Dir), path.Join("solutions", sk.Dir)}
	if plan.files, err = sk.render(); err != nil {
		return nil, err
	}
	for _, d := range plan.dirs {
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(d))); !errors.Is(err, fs.ErrNotExist) {
			return nil, usageError("%s exists already; dblings new never writes over anything", d)
		}
	}
	added := lessons.Lesson{
		ID: sk.ID, Dir: sk.Dir, Title: sk.Title, File: sk.File, Fixture: sk.Fixture,
		PostgresServers: sk.Postgres, Redis: sk.Redis, Minutes: sk.Minutes,
	}
	if plan.readme, err = lessons.UpdateReadme(readme, append(catalog, added)); err != nil {
		return nil, fmt.Errorf("README.md: %w", err)
	}
	if plan.witnesses, err = registerWitness(root, sk); err != nil {
		return nil, err
	}
	return plan, nil
}

// nextNumber is one more than the highest number of a lesson folder in
// lessons/, exercises/ or solutions/, with as many digits as they use. A
// folder in any of them that already ends in the id is refused: it belongs
// to a lesson removed or not yet declared, and the new one would collide
// with it.
func nextNumber(root, id string) (number, width int, err error) {
	width = 2
	for _, tree := range []string{"lessons", "exercises", "solutions"} {
		entries, err := os.ReadDir(filepath.Join(root, tree))
		if err != nil {
			return 0, 0, err
		}
		for _, e := range entries {
			m := lessonDirRule.FindStringSubmatch(e.Name())
			if m == nil || !e.IsDir() {
				continue
			}
			if m[2] == id {
				return 0, 0, usageError("%s/%s exists already, though no lesson declares it; remove it or choose another id", tree, e.Name())
			}
			n, _ := strconv.Atoi(m[1])
			number, width = max(number, n), max(width, len(m[1]))
		}
	}
	number++
	if len(strconv.Itoa(number)) > width {
		return 0, 0, fmt.Errorf("lesson %d does not fit the %d-digit folder numbers; renumber the folders to %d digits first", number, width, width+1)
	}
	return number, width, nil
}

// write creates the folders and files, never replacing one, and then
// replaces the README atomically. When a step fails, what was created is
// removed again.
func (p *lessonPlan) write(root string) (err error) {
	abs := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	var created []string
	defer func() {
		if err != nil {
			for _, c := range slices.Backward(created) {
				_ = os.Remove(c)
			}
		}
	}()
	for _, d := range p.dirs {
		if err := os.Mkdir(abs(d), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
		created = append(created, abs(d))
	}
	for _, file := range p.files {
		if err := writeNew(abs(file.path), file.content); err != nil {
			if !errors.Is(err, fs.ErrExist) {
				created = append(created, abs(file.path))
			}
			return fmt.Errorf("write %s: %w", file.path, err)
		}
		created = append(created, abs(file.path))
	}
	registry, err := os.ReadFile(abs(witnessRegistry))
	if err != nil {
		return err
	}
	if err := renameio.WriteFile(abs(witnessRegistry), p.witnesses, 0o644); err != nil {
		return fmt.Errorf("update %s: %w", witnessRegistry, err)
	}
	if err := renameio.WriteFile(abs("README.md"), p.readme, 0o644); err != nil {
		_ = renameio.WriteFile(abs(witnessRegistry), registry, 0o644)
		return fmt.Errorf("update README.md: %w", err)
	}
	return nil
}

// writeNew writes a file that must not exist yet.
func writeNew(name string, content []byte) error {
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = out.Write(content)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// print says what was created and what the author does next.
func (p *lessonPlan) print(w io.Writer) error {
	sk := p.sk
	fmt.Fprintf(w, "Created lesson %d, %s (fixture %s, %s):\n\n", sk.Number, sk.ID, sk.Fixture, sk.servers())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, file := range p.files {
		fmt.Fprintf(tw, "  %s\t%s\n", file.path, file.about)
	}
	fmt.Fprintf(tw, "  %s\tupdated: the lesson's witness registered\n", witnessRegistry)
	fmt.Fprintf(tw, "  README.md\tupdated: the lesson list\n")
	if err := tw.Flush(); err != nil {
		return err
	}
	folders := fmt.Sprintf("lessons/%[1]s exercises/%[1]s solutions/%[1]s", sk.Dir)
	_, err := fmt.Fprintf(w, `
The files hold a small working example (%[1]s counts the %[2]s):
its stub fails, its solution passes and its two answers get the verdicts
they declare. Replace it with your lesson; what is left to replace:
  grep -rn "TODO(author)" %[3]s

Next (docs/AUTHORING.md walks through each step):
  1. Write the lesson: lesson.md, hints.md, the stub %[4]s, the check
     (check/ and check_test.go), the witness and the solution.
  2. Write the answers in lessons/%[5]s/answers/: at least 5 wrong,
     each failing for its own reason, and 2 right besides the solution.
  3. Check the manifest, texts, hints and answer set (this fails until
     the answers of step 2 are written):
       go test ./lessons/ ./internal/answers/
  4. Rebuild dblings with the lesson in it, then prove that the solution
     passes and the untouched stub fails:
       make build && ./bin/dblings verify
  5. Prove that every answer gets the verdict it declares:
       go test -count=1 -run 'TestAnswers/^%[6]s$' ./internal/lessontest/
`, sk.Func, sk.Counted, folders, sk.File, sk.Dir, sk.ID)
	return err
}

func (sk *skeleton) servers() string {
	s := "1 Postgres server"
	if sk.Postgres > 1 {
		s = fmt.Sprintf("%d Postgres servers", sk.Postgres)
	}
	if sk.Redis {
		s += " and Redis"
	}
	return s
}

// witnessRegistry maps lesson ids to their witnesses.
const witnessRegistry = "lessons/witnesses/witnesses.go"

// registerWitness returns the registry with the new lesson's witness
// added: its import, and its line in For's map. The registry keeps the
// shape the scaffold relies on; a checkout where it does not is refused.
func registerWitness(root string, sk *skeleton) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(witnessRegistry)))
	if err != nil {
		return nil, usageError("%s cannot be read: dblings new registers the lesson's witness there: %v", witnessRegistry, err)
	}
	const importAnchor, mapAnchor = "\t\"github.com/dblings/dblings/witness\"", "\n\t}[id]"
	if !bytes.Contains(src, []byte(importAnchor)) || !bytes.Contains(src, []byte(mapAnchor)) {
		return nil, fmt.Errorf("%s no longer has the shape dblings new edits (an import of package witness and For's map ending in }[id]); register the witness by hand", witnessRegistry)
	}
	imp := fmt.Sprintf("\t%s \"github.com/dblings/dblings/lessons/%s\"\n", sk.Package, sk.Dir)
	entry := fmt.Sprintf("\n\t\t%q: %s.Witness,", sk.ID, sk.Package)
	src = bytes.Replace(src, []byte(importAnchor), []byte(imp+importAnchor), 1)
	src = bytes.Replace(src, []byte(mapAnchor), []byte(entry+mapAnchor), 1)
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("%s would not be valid Go with the new lesson: %w", witnessRegistry, err)
	}
	return out, nil
}
