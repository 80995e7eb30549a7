// Package readiness tells, without changing anything, whether a machine
// can run a lesson's check offline and how soon: its Go modules are on
// disk, its packages compiled in the build cache, its servers' images
// pulled, its data loaded in a kept environment. `dblings prepare --check`
// reports it; `dblings prepare` makes it so.
package readiness

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// Build is whether a lesson's check can be compiled offline, and how much
// of it the build cache already holds.
type Build struct {
	// Problem is why the check cannot compile offline ("" when it can):
	// typically a module missing from the module cache.
	Problem string
	// Stale counts the packages the first check would compile besides the
	// lesson's own, which a learner's edit recompiles anyway.
	Stale int
}

// listTimeout bounds one go list; it reads, it does not compile.
const listTimeout = 2 * time.Minute

// CheckBuild asks the go command, with the network off (GOPROXY=off) and
// go.mod read-only, what compiling l's check in workspace would need. The
// go command sees what a check compiles: the pristine check and packages
// from source laid over the workspace (see run.WriteOverlay).
func CheckBuild(ctx context.Context, workspace string, l lessons.Lesson, source fs.FS) Build {
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "dblings-prepare-")
	if err != nil {
		return Build{Problem: err.Error()}
	}
	defer os.RemoveAll(dir)
	overlay, err := run.WriteOverlay(dir, workspace, l, source)
	if err != nil {
		return Build{Problem: "cannot lay the check over the workspace: " + err.Error()}
	}
	args := append([]string{"list", "-deps", "-test"}, run.BuildFlags(l)...)
	cmd := exec.CommandContext(ctx, "go", append(args, "-overlay", overlay, "-f", "{{.ImportPath}} {{.Stale}}", l.Package())...)
	cmd.Dir = workspace
	cmd.Env = append(append(os.Environ(), run.BuildEnv()...), "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return Build{Problem: "cannot compile offline: " + checker.FirstLine(errOut.String(), err.Error())}
	}
	return Build{Stale: countStale(out.String(), l)}
}

// countStale counts the stale packages of go list's output, leaving out
// the lesson's package and its test binary, which every edit rebuilds.
func countStale(list string, l lessons.Lesson) int {
	own := strings.TrimPrefix(l.Package(), "./")
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		path, stale, ok := strings.Cut(line, " ")
		if !ok || !strings.HasSuffix(stale, "true") || strings.Contains(path, own) {
			continue
		}
		n++
	}
	return n
}

// MissingImages lists the docker provider's images that the engine does
// not hold, and would pull from a registry at the first start.
func MissingImages(ctx context.Context, cfg sandbox.Config) ([]string, error) {
	var missing []string
	for _, ref := range cfg.Images() {
		ok, err := sandbox.ImagePresent(ctx, ref)
		if err != nil {
			return nil, fmt.Errorf("ask the Docker engine for %s: %w", ref, err)
		}
		if !ok {
			missing = append(missing, ref)
		}
	}
	return missing, nil
}

// DataLoaded reports whether every server of env holds the template of
// l's data that `dblings check` clones, so that its first check copies it
// instead of loading it.
func DataLoaded(ctx context.Context, env *sandbox.Env, l lessons.Lesson) (bool, error) {
	fixture, err := fixtures.Lookup(l.Fixture)
	if err != nil {
		return false, err
	}
	name, err := fixture.TemplateName(fixtures.DefaultScale, fixtures.FixedSeed)
	if err != nil {
		return false, err
	}
	servers := env.Postgres[:min(len(env.Postgres), max(1, l.PostgresServers))]
	for _, s := range servers {
		ok, err := hasDatabase(ctx, s.URL, name)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func hasDatabase(ctx context.Context, url, name string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var found bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&found)
	return found, err
}
