package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/sandbox"
)

// Factory holds what every command shares: IO, the global flags, and the
// way to get an environment. Commands receive it instead of reading globals.
type Factory struct {
	IO IO

	envName      string
	pgURLs       []string
	redisURL     string
	workspaceDir string
}

func (f *Factory) addFlags(root *cobra.Command) {
	fl := root.PersistentFlags()
	fl.StringVar(&f.envName, "env", os.Getenv("DBLINGS_ENV"), "where the servers come from: docker, local or external (env DBLINGS_ENV; default: auto)")
	fl.StringSliceVar(&f.pgURLs, "pg-url", splitList(os.Getenv("DBLINGS_PG_URL")), "Postgres server URL for the external environment; repeat or comma-separate for several servers (env DBLINGS_PG_URL)")
	fl.StringVar(&f.redisURL, "redis-url", os.Getenv("DBLINGS_REDIS_URL"), "Redis server URL for the external environment (env DBLINGS_REDIS_URL)")
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
// configuration asking for the given number of Postgres servers.
func (f *Factory) SandboxConfig(servers int) (sandbox.Config, error) {
	provider, err := sandbox.ParseProvider(f.envName)
	if err != nil {
		return sandbox.Config{}, &ExitError{Code: ExitEnvironment, Err: err}
	}
	return sandbox.Config{
		Provider:        provider,
		PostgresURLs:    f.pgURLs,
		RedisURL:        f.redisURL,
		PostgresImage:   os.Getenv("DBLINGS_PG_IMAGE"),
		RedisImage:      os.Getenv("DBLINGS_REDIS_IMAGE"),
		PostgresServers: servers,
	}, nil
}

// Workspace is the root of the learner's checkout: --workspace, or the
// nearest folder upwards from the current directory that holds exercises/
// and a go.mod.
func (f *Factory) Workspace() (string, error) {
	if f.workspaceDir != "" {
		return filepath.Abs(f.workspaceDir)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if isWorkspace(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", usageError("no dblings workspace here: run dblings inside your dblings checkout (the folder with exercises/ and go.mod), or pass --workspace")
		}
	}
}

func isWorkspace(dir string) bool {
	for _, name := range []string{"go.mod", "exercises"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// Environment returns the servers to work on: the environment kept by
// "dblings env up" in this workspace if it is still alive, otherwise a new
// one that release stops.
func (f *Factory) Environment(ctx context.Context, servers int) (env *sandbox.Env, release func(), err error) {
	cfg, err := f.SandboxConfig(servers)
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
// request: enough servers, and the provider asked for (if any). URLs given
// on the command line always win.
func (f *Factory) keptEnvironment(ctx context.Context, cfg sandbox.Config) *sandbox.Env {
	ws, err := f.Workspace()
	if err != nil || len(cfg.PostgresURLs) > 0 || cfg.RedisURL != "" {
		return nil
	}
	kept, err := sandbox.LoadKept(ctx, ws)
	if err != nil || len(kept.Postgres) < cfg.PostgresServers {
		return nil
	}
	if cfg.Provider != "" && cfg.Provider != kept.Provider {
		return nil
	}
	return kept
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
