package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/internal/owner"
	"github.com/dblings/dblings/sandbox"
)

// A running check holds three things outside the dblings process: a folder
// (the build, the report), a clone database on each server it uses, and
// processes (the compiler, test2json, the check binary and whatever the
// learner's code started). A check that ends removes them itself; one that
// is killed (kill -9, a crash, a closed laptop) cannot. Each of the three
// therefore names its owner, the dblings process, by pid and start time:
//   - the folder in its name: dblings-check-<owner tag>-<random>;
//   - the clones in theirs (see fixtures.OwnedBy);
//   - the processes through envRunDir, which every one of them inherits,
//     pointing at the folder.
//
// Reap, run at each check's start and by "env up" and "env down", removes
// what belongs to owners that are gone, and nothing else: other checks may
// be running at the same moment, in this process or another.

// checkDirPrefix starts the name of every check's folder.
const checkDirPrefix = "dblings-check-"

// envRunDir is set in the environment of every process of a check, naming
// the check's folder. It is the runner's own marker, not part of what the
// check is given (see package contract).
const envRunDir = "DBLINGS_RUN_DIR"

// staleAge is how old a folder or clone without a readable owner (made by
// an older dblings, or on another host) must be before it is removed: far
// longer than any check runs.
const staleAge = 24 * time.Hour

// makeCheckDir makes the folder of one check, named after this process.
func makeCheckDir() (string, error) {
	return os.MkdirTemp("", checkDirPrefix+owner.Self().Tag()+"-")
}

// checkEnviron is the environment of the check's processes: this process's
// own without dblings' settings and libpq's (they may carry the servers'
// superuser URLs and passwords, which the learner's code must never see),
// the marker that the sweeps find them by, and GOTMPDIR inside the folder,
// so that a compile killed half-way leaves its work files nowhere else.
func checkEnviron(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBLINGS_") && !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return append(env, envRunDir+"="+dir, "GOTMPDIR="+dir)
}

// cloneOwner marks the clones this process makes with its owner code.
func cloneOwner() fixtures.CloneOption { return fixtures.OwnedBy(owner.Self().Short()) }

// ownerGone reports whether a clone's owner code names a process of this
// host that is gone.
func ownerGone(code string) bool {
	o, ok := owner.ParseShort(code)
	return ok && o.Here() && !o.Alive()
}

// checkDirOwner reads the owner out of a check folder's path; ok is false
// for a folder named by an older dblings.
func checkDirOwner(dir string) (o owner.Owner, ok bool) {
	return owner.ParseTag(strings.TrimPrefix(filepath.Base(dir), checkDirPrefix))
}

// orphaned reports whether the check folder's owner is known and gone.
func orphaned(dir string) bool {
	o, ok := checkDirOwner(dir)
	return ok && !o.Alive()
}

// Reap removes what checks whose dblings process is gone left behind: their
// processes first (they may still use the rest), then their clone databases
// on env's servers (env may be nil), then their folders. It returns what
// could not be removed; the next call tries again.
func Reap(ctx context.Context, env *sandbox.Env) error {
	sweep(orphaned)
	var errs []error
	if env != nil {
		errs = append(errs, reapClones(ctx, env))
	}
	errs = append(errs, reapCheckDirs())
	return errors.Join(errs...)
}

// reapHere is Reap without the servers: a check removes dead owners'
// clones on the servers it uses, through its own session (see
// databases.reap), rather than opening one on every server of the
// environment.
func reapHere() error {
	sweep(orphaned)
	return reapCheckDirs()
}

// reapStaleClones drops dead owners' clones on the server of the superuser
// session conn.
func reapStaleClones(ctx context.Context, conn *pgx.Conn) error {
	if _, err := fixtures.DropStale(ctx, conn, staleAge, ownerGone); err != nil {
		return fmt.Errorf("remove the databases of killed checks: %w", err)
	}
	return nil
}

// reapClones drops dead owners' clones on every server of env, at once.
func reapClones(ctx context.Context, env *sandbox.Env) error {
	var urls []string
	for _, s := range env.Postgres {
		if !slices.Contains(urls, s.URL) { // the external provider repeats URLs
			urls = append(urls, s.URL)
		}
	}
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = withConn(ctx, u, func(c *pgx.Conn) error { return reapStaleClones(ctx, c) })
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// reapCheckDirs removes the folders of dead owners, and folders of an older
// dblings once they are stale.
func reapCheckDirs() error {
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), checkDirPrefix+"*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, dir := range dirs {
		_, named := checkDirOwner(dir)
		if named && !orphaned(dir) {
			continue
		}
		if fi, err := os.Lstat(dir); !named && (err != nil || time.Since(fi.ModTime()) < staleAge) {
			continue
		}
		// Another reaper may be removing it at the same moment.
		if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
			if _, statErr := os.Lstat(dir); statErr == nil {
				errs = append(errs, fmt.Errorf("remove the folder of a killed check: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

// sweepCheck ends every process still running for the check in dir: what
// the learner's code started and left behind, in any process group or
// session of its own.
func sweepCheck(dir string) { sweep(func(d string) bool { return d == dir }) }
