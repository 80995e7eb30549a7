package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/internal/pack"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/workspace"
)

// Factory holds what every command shares: IO, the global flags, and the
// way to get an environment. Commands receive it instead of reading globals.
type Factory struct {
	IO IO

	source   fs.FS           // the pristine tree built into the binary
	catalog  lessons.Catalog // read from source and the packs on first use
	packs    []*pack.Pack    // the lesson packs, loaded with the catalog
	packDirs []string        // --pack

	envName      string
	pgURLs       []string
	redisURL     string
	replicaURL   string
	workspaceDir string
}

func (f *Factory) addFlags(root *cobra.Command) {
	fl := root.PersistentFlags()
	fl.StringVar(&f.envName, "env", os.Getenv("DBLINGS_ENV"), "where the servers come from: docker, local or external (env DBLINGS_ENV; default: auto)")
	fl.StringSliceVar(&f.pgURLs, "pg-url", splitList(os.Getenv("DBLINGS_PG_URL")), "Postgres server URL for the external environment; repeat or comma-separate for several servers (env DBLINGS_PG_URL)")
	fl.StringVar(&f.redisURL, "redis-url", os.Getenv("DBLINGS_REDIS_URL"), "Redis server URL for the external environment (env DBLINGS_REDIS_URL)")
	fl.StringVar(&f.replicaURL, "replica-url", os.Getenv("DBLINGS_REPLICA_URL"), "URL of a streaming replica of the first --pg-url server, for the lessons that read from a replica (env DBLINGS_REPLICA_URL)")
	fl.StringSliceVar(&f.packDirs, "pack", nil, "a lesson pack: a folder of your own lessons laid out as dblings' own, added after the built-in ones; repeat for several (also: packs in the workspace's dblings.toml)")
	fl.StringVar(&f.workspaceDir, "workspace", os.Getenv("DBLINGS_WORKSPACE"), "the dblings checkout holding exercises/ (env DBLINGS_WORKSPACE; default: found from the current directory)")
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// SandboxConfig turns the flags and environment variables into a sandbox
// configuration that starts what the lessons need.
func (f *Factory) SandboxConfig(needs lessons.Needs) (sandbox.Config, error) {
	provider, err := sandbox.ParseProvider(f.envName)
	if err != nil {
		return sandbox.Config{}, &ExitError{Code: ExitUsage, Err: err}
	}
	return sandbox.Config{
		Provider:        provider,
		PostgresURLs:    f.pgURLs,
		RedisURL:        f.redisURL,
		PostgresImage:   os.Getenv("DBLINGS_PG_IMAGE"),
		RedisImage:      os.Getenv("DBLINGS_REDIS_IMAGE"),
		PostgresServers: max(1, needs.PostgresServers),
		Replica:         needs.Replica,
		Archive:         needs.Archive,
		ReplicaURL:      f.replicaURL,
	}, nil
}

// Catalog is the curriculum built into this dblings, followed by the
// lessons of the packs (see Packs). A built-in lesson whose manifest does
// not load is a defect of the build, reported as such; a pack that does
// not load is a usage error naming the pack.
func (f *Factory) Catalog() (lessons.Catalog, error) {
	if f.catalog != nil {
		return f.catalog, nil
	}
	tree, err := fs.Sub(f.source, "lessons")
	if err != nil {
		return nil, err
	}
	c, err := lessons.Load(tree)
	if err != nil {
		return nil, fmt.Errorf("the lessons built into this dblings cannot be read: %w", err)
	}
	packs, err := f.loadPacks()
	if err != nil {
		return nil, err
	}
	if c, err = pack.Catalog(c, packs); err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	f.catalog, f.packs = c, packs
	return c, nil
}

// Source is the pristine tree checks are built from: the binary's, with
// the packs' lessons laid over it (see pack.Source). Call Catalog first.
func (f *Factory) Source() fs.FS { return pack.Source(f.source, f.packs) }

// Workspace is the root of the learner's checkout: --workspace, or the
// nearest folder upwards from the current directory that holds exercises/
// and a go.mod. A folder that is not a workspace is a usage error.
func (f *Factory) Workspace() (string, error) {
	root, err := workspace.Locate(f.workspaceDir)
	var notWorkspace *workspace.NotWorkspaceError
	if errors.As(err, &notWorkspace) {
		return "", &ExitError{Code: ExitUsage, Err: err}
	}
	return root, err
}

// OpenWorkspace opens the learner's workspace with the curriculum. A
// progress file that had to be moved aside is a warning on stderr.
func (f *Factory) OpenWorkspace() (*workspace.Workspace, error) {
	ws, warning, err := f.openWorkspace()
	if warning != "" {
		fmt.Fprintln(f.IO.Err, "dblings: warning:", warning)
	}
	if err == nil {
		f.addPackStubs(ws)
	}
	return ws, err
}

// openWorkspace opens the workspace and says, as a warning, that its
// progress file had to be moved aside.
func (f *Factory) openWorkspace() (ws *workspace.Workspace, warning string, err error) {
	catalog, err := f.Catalog()
	if err != nil {
		return nil, "", err
	}
	root, err := f.Workspace()
	if err != nil {
		return nil, "", err
	}
	ws, err = workspace.Open(root, catalog, f.Source())
	var recovered *progress.RecoveredError
	if errors.As(err, &recovered) {
		return ws, recovered.Error(), nil
	}
	return ws, "", err
}

// Environment returns the servers to work on: the environment kept by
// "dblings env up" in this workspace if it is still alive, otherwise a new
// one that release stops.
func (f *Factory) Environment(ctx context.Context, needs lessons.Needs) (env *sandbox.Env, release func(), err error) {
	cfg, err := f.SandboxConfig(needs)
	if err != nil {
		return nil, nil, err
	}
	if kept := f.keptEnvironment(ctx, cfg); kept != nil {
		return kept, func() {}, nil
	}
	env, err = sandbox.Start(ctx, cfg)
	if err != nil {
		_ = env.Stop(context.WithoutCancel(ctx))
		return nil, nil, environmentError(err)
	}
	return env, func() { _ = env.Stop(context.WithoutCancel(ctx)) }, nil
}

// keptEnvironment is the workspace's "env up" environment when it fits the
// request: enough servers, the replica and archive asked for, and the
// provider asked for (if any). URLs given on the command line always win.
func (f *Factory) keptEnvironment(ctx context.Context, cfg sandbox.Config) *sandbox.Env {
	ws, err := f.Workspace()
	if err != nil || len(cfg.PostgresURLs) > 0 || cfg.RedisURL != "" {
		return nil
	}
	kept, err := sandbox.LoadKept(ctx, ws)
	if err != nil || !keptNeeds(kept).Covers(lessons.Needs{PostgresServers: cfg.PostgresServers, Replica: cfg.Replica, Archive: cfg.Archive}) {
		return nil
	}
	if cfg.Provider != "" && cfg.Provider != kept.Provider {
		return nil
	}
	return kept
}

// keptNeeds is what a kept environment can serve.
func keptNeeds(env *sandbox.Env) lessons.Needs {
	return lessons.Needs{PostgresServers: len(env.Postgres), Replica: env.Replica != nil, Archive: env.Archived != nil}
}

func environmentError(err error) error {
	return &ExitError{Code: ExitEnvironment, Err: fmt.Errorf("could not start the database servers: %w", err)}
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "dev"
	}
	return info.Main.Version
}
