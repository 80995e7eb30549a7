package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

type envUpOptions struct {
	needs      lessons.Needs // what the lessons need; --postgres-servers overrides the count
	foreground bool
}

func newEnvCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Keep database servers running between commands",
		Long: `Start an environment once with "dblings env up"; later commands in this
workspace reuse it instead of starting their own servers, which makes
every check start in a fraction of a second. "dblings env down" removes it.`,
	}
	cmd.AddCommand(newEnvUpCmd(f), newEnvServeCmd(f), newEnvStatusCmd(f), newEnvDownCmd(f))
	return cmd
}

func newEnvUpCmd(f *Factory) *cobra.Command {
	opts := &envUpOptions{}
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Start servers that outlive this command",
		Args:  cobra.NoArgs,
		Long: `Start servers that outlive this command: as many Postgres servers as the
lessons need, and a streaming replica or WAL archiving only when a lesson's
manifest asks for them.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			catalog, err := f.Catalog()
			if err != nil {
				return err
			}
			servers := opts.needs.PostgresServers
			opts.needs = catalog.Needs()
			if cmd.Flags().Changed("postgres-servers") {
				opts.needs.PostgresServers = servers
			}
			return runEnvUp(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().IntVar(&opts.needs.PostgresServers, "postgres-servers", 0, "how many Postgres servers to start (default: as many as the lessons need, from their manifests)")
	cmd.Flags().BoolVar(&opts.foreground, "foreground", false, "stay in the foreground and stop the servers on Ctrl-C")
	return cmd
}

func runEnvUp(ctx context.Context, f *Factory, opts *envUpOptions) error {
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	if opts.needs.PostgresServers < 1 {
		return usageError("--postgres-servers must be at least 1")
	}
	if _, err := f.SandboxConfig(opts.needs); err != nil {
		return err
	}
	unlock, err := lockEnv(ws)
	if err != nil {
		return err
	}
	defer unlock()
	if env, err := sandbox.LoadKept(ctx, ws); err == nil {
		reapChecks(ctx, env)
		fmt.Fprintf(f.IO.Out, "An environment is already running (%s).\n", env.Provider)
		printEnv(f, env, false)
		return nil
	}
	if err := replaceDeadKeepers(ctx, f, ws); err != nil {
		return err
	}
	reapChecks(ctx, nil)
	if opts.foreground {
		return keepEnvironment(ctx, f, ws, opts.needs, func(env *sandbox.Env) {
			unlock() // ready: another "env up" may now find it
			printEnv(f, env, false)
			fmt.Fprintln(f.IO.Out, "Press Ctrl-C to stop the servers.")
		})
	}
	return startKeeper(ctx, f, ws, opts.needs)
}

// lockEnv makes "env up" and "env down" in one workspace take turns: a
// second "env up" started while the first is still starting would take
// the first's keeper for a dead one and stop it. The lock is a file lock,
// so the kernel releases it when its holder dies. unlock may be called
// more than once.
func lockEnv(ws string) (unlock func(), err error) {
	path := filepath.Join(ws, ".dblings", "env.lock")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	var once sync.Once
	return func() { once.Do(func() { f.Close() }) }, nil
}

// replaceDeadKeepers stops the keepers of the workspace's environment when
// it cannot be used: its servers do not answer, or its env.json is lost
// and the keeper runs on, holding servers nobody can reach.
func replaceDeadKeepers(ctx context.Context, f *Factory, ws string) error {
	pids := sandbox.Keepers(ctx, ws)
	if len(pids) == 0 {
		return nil
	}
	fmt.Fprintf(f.IO.Out, "Replacing the environment of this workspace: it does not answer or its record is lost (keeper pid %s).\n", joinInts(pids))
	if err := sandbox.StopKept(ctx, ws); err != nil && !errors.Is(err, sandbox.ErrNoKept) {
		return &ExitError{Code: ExitEnvironment, Err: fmt.Errorf("could not stop the old environment: %w", err)}
	}
	return nil
}

// reapChecks removes what checks killed before they could clean up left
// behind: their processes and folders, and with env their clone databases.
// It never fails a command: whatever it cannot remove now, the next
// check's start tries again.
func reapChecks(ctx context.Context, env *sandbox.Env) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_ = run.Reap(ctx, env)
}

// startKeeper runs "dblings env serve" as a detached process and waits until
// it has recorded a ready environment, or failed.
func startKeeper(ctx context.Context, f *Factory, ws string, needs lessons.Needs) error {
	logPath := filepath.Join(ws, ".dblings", "env.log")
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	keeper, err := f.keeperCommand(ws, needs)
	if err != nil {
		return err
	}
	keeper.Stdout, keeper.Stderr = logFile, logFile
	if err := keeper.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- keeper.Wait() }()

	start := time.Now()
	for {
		if rec, err := sandbox.ReadKept(ws); err == nil && rec.OwnerPID() == keeper.Process.Pid {
			fmt.Fprintf(f.IO.Out, "Environment ready in %.1fs (%s).\n", time.Since(start).Seconds(), rec.Provider)
			printEnv(f, &rec.Env, false)
			fmt.Fprintln(f.IO.Out, "Stop it with: dblings env down")
			return nil
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			code := ExitEnvironment
			if keeper.ProcessState.ExitCode() == ExitUsage { // a malformed URL, say
				code = ExitUsage
			}
			return &ExitError{Code: code, Err: fmt.Errorf("the environment did not start:\n%s", log)}
		case <-ctx.Done():
			// Interrupted while starting: the keeper removes what it started.
			_ = keeper.Process.Signal(syscall.SIGTERM)
			<-exited
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// keeperCommand prepares "dblings env serve" for the workspace, in a
// session of its own: closing the terminal or Ctrl-C in it leaves the
// keeper running; "env down" stops it. The server URLs reach it through
// its environment, never its command line: every local user can read a
// process's arguments (ps), while its environment is its owner's only.
func (f *Factory) keeperCommand(ws string, needs lessons.Needs) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"env", "serve", "--postgres-servers", strconv.Itoa(needs.PostgresServers), "--workspace", ws}
	if needs.Replica {
		args = append(args, "--replica")
	}
	if needs.Archive {
		args = append(args, "--archive")
	}
	if f.envName != "" {
		args = append(args, "--env", f.envName)
	}
	keeper := exec.Command(exe, args...)
	keeper.Env = append(os.Environ(),
		"DBLINGS_PG_URL="+strings.Join(f.pgURLs, ","),
		"DBLINGS_REDIS_URL="+f.redisURL,
		"DBLINGS_REPLICA_URL="+f.replicaURL)
	keeper.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	return keeper, nil
}

func newEnvServeCmd(f *Factory) *cobra.Command {
	needs := lessons.Needs{PostgresServers: 1}
	cmd := &cobra.Command{
		Use:    "serve",
		Short:  "Run an environment in the foreground and record it (used by env up)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := f.Workspace()
			if err != nil {
				return err
			}
			return keepEnvironment(cmd.Context(), f, ws, needs, func(env *sandbox.Env) {
				fmt.Fprintf(f.IO.Out, "environment ready (%s), keeper pid %d\n", env.Provider, os.Getpid())
			})
		},
	}
	cmd.Flags().IntVar(&needs.PostgresServers, "postgres-servers", needs.PostgresServers, "how many Postgres servers to start")
	cmd.Flags().BoolVar(&needs.Replica, "replica", false, "start a streaming replica of the first server")
	cmd.Flags().BoolVar(&needs.Archive, "archive", false, "start an archiving server: a Postgres server of its own whose WAL is archived, for base backups and restores")
	return cmd
}

// keepEnvironment starts an environment, records it for the workspace, and
// holds it until the context ends (SIGINT, SIGTERM), then removes it. What
// it starts carries the workspace, so its keeper can be found without the
// record.
func keepEnvironment(ctx context.Context, f *Factory, ws string, needs lessons.Needs, ready func(*sandbox.Env)) error {
	cfg, err := f.SandboxConfig(needs)
	if err != nil {
		return err
	}
	cfg.Keep, cfg.Workspace = true, ws
	env, err := sandbox.Start(ctx, cfg)
	defer func() { _ = env.Stop(context.WithoutCancel(ctx)) }()
	var usage *sandbox.UsageError
	if errors.As(err, &usage) {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if err != nil {
		return environmentError(err)
	}
	// External servers outlive environments: clones of killed checks may
	// wait there.
	reapChecks(ctx, env)
	if err := sandbox.SaveKept(ws, env); err != nil {
		return err
	}
	defer func() { _ = sandbox.RemoveKept(ws) }()
	ready(env)
	<-ctx.Done()
	return nil
}

func newEnvStatusCmd(f *Factory) *cobra.Command {
	var showURLs bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the kept environment; exit status 1 when none runs or its servers do not answer",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := f.Workspace()
			if err != nil {
				return err
			}
			return envStatus(cmd.Context(), f, ws, showURLs)
		},
	}
	cmd.Flags().BoolVar(&showURLs, "urls", false, "print the connection URLs with their passwords")
	return cmd
}

func envStatus(ctx context.Context, f *Factory, ws string, showURLs bool) error {
	rec, err := sandbox.ReadKept(ws)
	if err != nil || !rec.OwnerAlive() {
		if pids := sandbox.Keepers(ctx, ws); len(pids) > 0 {
			fmt.Fprintf(f.IO.Out, "The record of this workspace's environment (%s) is lost, but its keeper still runs (pid %s).\n"+
				"Stop it with: dblings env down; or replace it with: dblings env up\n", sandbox.KeptPath(ws), joinInts(pids))
			return &ExitError{Code: ExitFailed}
		}
		fmt.Fprintln(f.IO.Out, "No environment is running in this workspace. Start one with: dblings env up")
		return &ExitError{Code: ExitFailed}
	}
	health, pingErr := "ready", rec.Ping(ctx)
	if pingErr != nil {
		health = "not answering: " + pingErr.Error()
	}
	fmt.Fprintf(f.IO.Out, "Environment: %s, %s, keeper pid %d, up %s\n",
		rec.Provider, health, rec.OwnerPID(), time.Since(rec.StartedAt).Round(time.Second))
	printEnv(f, &rec.Env, showURLs)
	if pingErr != nil {
		fmt.Fprintln(f.IO.Out, "Replace it with: dblings env up")
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

func newEnvDownCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "down",
		Short: "Stop the kept environment and remove its servers",
		Long: `Stop the kept environment and remove its servers, also when its record
(.dblings/env.json) is lost: the keeper is found through what its servers
carry. What checks killed on the way left behind (clone databases, folders,
processes) is removed too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := f.Workspace()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			unlock, err := lockEnv(ws)
			if err != nil {
				return err
			}
			defer unlock()
			if rec, err := sandbox.ReadKept(ws); err == nil {
				reapChecks(ctx, &rec.Env) // external servers outlive the keeper
			}
			err = sandbox.StopKept(ctx, ws)
			reapChecks(ctx, nil)
			if errors.Is(err, sandbox.ErrNoKept) {
				fmt.Fprintln(f.IO.Out, "No environment was running.")
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(f.IO.Out, "Environment stopped and removed.")
			return nil
		},
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func printEnv(f *Factory, env *sandbox.Env, showURLs bool) {
	shown := func(u string) string {
		if showURLs {
			return u
		}
		if parsed, err := url.Parse(u); err == nil {
			return parsed.Redacted()
		}
		return u
	}
	for i, s := range env.Postgres {
		fmt.Fprintf(f.IO.Out, "  postgres[%d]  %-8s %s\n", i, s.Version, shown(s.URL))
	}
	if env.Replica != nil {
		fmt.Fprintf(f.IO.Out, "  replica      %-8s %s\n", env.Replica.Version, shown(env.Replica.URL))
	}
	if env.Archived != nil {
		fmt.Fprintf(f.IO.Out, "  archiving    %-8s %s\n", env.Archived.Version, shown(env.Archived.URL))
		fmt.Fprintf(f.IO.Out, "  WAL archive           %s\n", env.Archive)
	}
	fmt.Fprintf(f.IO.Out, "  redis        %-8s %s\n", env.Redis.Version, shown(env.Redis.URL))
}
