package run

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/lessons/witnesses"
	"github.com/dblings/dblings/witness"
)

// The second witness, from the runner's side: the lesson's witness looks at
// the databases before and after the check binary, with connections the
// binary never saw, and the runner knows from the pristine check files
// which tests must have run. A report that claims more than the databases
// show is never a pass.

// settleLimit bounds the wait for the check's sessions to end after its
// process has: a session flushes its statistics as it ends. A check that
// opened hundreds of sessions (a pool per request) leaves a server that
// takes seconds to end them and to let the judge in on a loaded machine:
// 10 s turned right verdicts into errors in CI at a load of 12, and 30 s
// once, when the judge's own connection waited that long for the server
// after a leaky answer's sessions ended (pooling, rows-not-closed).
const settleLimit = time.Minute

// watch starts the lesson's witness on the fresh databases. It returns a nil
// judge for a lesson without a witness (the runner's own test lessons; the
// catalog's content test requires one for every real lesson).
func watch(ctx context.Context, l lessons.Lesson, dbs *databases) (witness.Judge, error) {
	w, ok := witnesses.For(l.ID)
	if !ok {
		return nil, nil
	}
	scene, err := dbs.scene()
	if err != nil {
		return nil, err
	}
	judge, err := w(ctx, scene)
	if err != nil {
		return nil, &EnvironmentError{Step: "taking the second witness's first look", Err: err}
	}
	return judge, nil
}

// testify waits for the check's sessions to end, then hears the witness.
func testify(ctx context.Context, dbs *databases, judge witness.Judge) ([]witness.Fact, error) {
	if judge == nil {
		return nil, nil
	}
	if err := dbs.settle(ctx); err != nil {
		return nil, &EnvironmentError{Step: "waiting for the check's sessions to end", Err: err}
	}
	facts, err := judge(ctx)
	if err != nil {
		return nil, &EnvironmentError{Step: "hearing the second witness", Err: err}
	}
	return facts, nil
}

// scene describes the check's databases as the superuser sees them.
func (d *databases) scene() (*witness.Scene, error) {
	s := &witness.Scene{Seed: d.seed, Replica: d.replicaAdmin}
	if d.vault != nil { // a nil *checkVault in the interface would not be nil
		s.Vault = d.vault
	}
	for i, c := range d.clones {
		s.Postgres = append(s.Postgres, c.URL)
		if i == 0 {
			s.Role = d.roles[i].name
		}
	}
	if d.redis != nil {
		u, err := url.Parse(d.redis.adminURL)
		if err != nil {
			return nil, err
		}
		u.Path = "/" + strconv.Itoa(d.redis.db)
		s.Redis = u.String()
	}
	return s, nil
}

// settle waits until none of the check's roles has a session left, on
// its servers and on what the vault restored.
func (d *databases) settle(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, settleLimit)
	defer cancel()
	for i, admin := range d.sessions {
		role := d.roles[i].name
		if err := admin.do(ctx, func(c *pgx.Conn) error { return waitSessionsOn(ctx, c, role) }); err != nil {
			return err
		}
	}
	if d.vault != nil {
		return d.vault.settle(ctx)
	}
	return nil
}

// weigh sets the verdict against the witness: a check that passed by its
// own report but not by the databases is disputed, never passed. The
// facts join the assertions only then, so a failed check does not say the
// same thing twice.
func (b *build) weigh(res *Result, facts []witness.Fact) {
	res.Witness = facts
	if res.Verdict != Passed {
		return
	}
	var broken []string
	for _, f := range facts {
		if !f.OK {
			broken = append(broken, f.Message)
			res.Assertions = append(res.Assertions, Assertion{Test: "witness", Name: f.Name, Message: f.Message})
		}
	}
	if len(broken) > 0 {
		res.Verdict = Disputed
		res.Message = "the check's report disagrees with the database: " + broken[0]
	}
}

// requireTests fails a run whose report passed while a test of the
// pristine check never ran to its end: the learner's code ended the
// process, or printed what looks like test results.
func (b *build) requireTests(res *Result, log *testLog) {
	if res.Verdict != Passed {
		return
	}
	var missing []string
	for _, name := range b.required {
		if t := log.tests[name]; t == nil || t.end != actionPass || !t.finished {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("the check's %s never ran to the end: your code ended the process or wrote the check's report itself", strings.Join(missing, ", "))
	res.Assertions = append(res.Assertions, Assertion{Test: missing[0], Name: "every test of the check ran", Message: msg})
	res.Verdict, res.Message = Failed, msg
}

// checkTests lists the top-level tests of the pristine check files in dir.
func checkTests(src fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(src, dir)
	if err != nil {
		return nil, err
	}
	var tests []string
	for _, e := range entries {
		if !isTestFile(e.Name()) {
			continue
		}
		data, err := fs.ReadFile(src, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(token.NewFileSet(), e.Name(), data, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && isTestName(fn.Name.Name) {
				tests = append(tests, fn.Name.Name)
			}
		}
	}
	if len(tests) == 0 {
		return nil, errors.New("the check files declare no Test function")
	}
	slices.Sort(tests)
	return tests, nil
}

// isTestName is go test's rule: Test, then nothing or not a lower-case letter.
func isTestName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Test")
	return ok && (rest == "" || !('a' <= rest[0] && rest[0] <= 'z'))
}
