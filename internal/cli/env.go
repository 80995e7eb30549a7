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
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/sandbox"
)

// defaultKeptServers is how many Postgres servers "env up" starts: enough
// for every lesson (sharding needs three).
const defaultKeptServers = 3

type envUpOptions struct {
	servers    int
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEnvUp(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().IntVar(&opts.servers, "postgres-servers", defaultKeptServers, "how many Postgres servers to start")
	cmd.Flags().BoolVar(&opts.foreground, "foreground", false, "stay in the foreground and stop the servers on Ctrl-C")
	return cmd
}

func runEnvUp(ctx context.Context, f *Factory, opts *envUpOptions) error {
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	if opts.servers < 1 {
		return usageError("--postgres-servers must be at least 1")
	}
	if _, err := f.SandboxConfig(opts.servers); err != nil {
		return err
	}
	if env, err := sandbox.LoadKept(ctx, ws); err == nil {
		fmt.Fprintf(f.IO.Out, "An environment is already running (%s).\n", env.Provider)
		printEnv(f, env, false)
		return nil
	}
	if opts.foreground {
		return keepEnvironment(ctx, f, ws, opts.servers, func(env *sandbox.Env) {
			printEnv(f, env, false)
			fmt.Fprintln(f.IO.Out, "Press Ctrl-C to stop the servers.")
		})
	}
	return startKeeper(ctx, f, ws, opts.servers)
}

// startKeeper runs "dblings env serve" as a detached process and waits until
// it has recorded a ready environment, or failed.
func startKeeper(ctx context.Context, f *Factory, ws string, servers int) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	logPath := filepath.Join(ws, ".dblings", "env.log")
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	args := append([]string{"env", "serve", "--postgres-servers", strconv.Itoa(servers)}, f.globalArgs(ws)...)
	keeper := exec.Command(exe, args...)
	keeper.Stdout, keeper.Stderr = logFile, logFile
	// Its own session: closing the terminal or Ctrl-C in it leaves the
	// keeper running; "env down" stops it.
	keeper.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
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
			return &ExitError{Code: ExitEnvironment, Err: fmt.Errorf("the environment did not start:\n%s", log)}
		case <-ctx.Done():
			// Interrupted while starting: the keeper removes what it started.
			_ = keeper.Process.Signal(syscall.SIGTERM)
			<-exited
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// globalArgs repeats the global flags for a child dblings process.
func (f *Factory) globalArgs(ws string) []string {
	args := []string{"--workspace", ws}
	if f.envName != "" {
		args = append(args, "--env", f.envName)
	}
	for _, u := range f.pgURLs {
		args = append(args, "--pg-url", u)
	}
	if f.redisURL != "" {
		args = append(args, "--redis-url", f.redisURL)
	}
	return args
}

func newEnvServeCmd(f *Factory) *cobra.Command {
	servers := defaultKeptServers
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
			return keepEnvironment(cmd.Context(), f, ws, servers, func(env *sandbox.Env) {
				fmt.Fprintf(f.IO.Out, "environment ready (%s), keeper pid %d\n", env.Provider, os.Getpid())
			})
		},
	}
	cmd.Flags().IntVar(&servers, "postgres-servers", defaultKeptServers, "how many Postgres servers to start")
	return cmd
}

// keepEnvironment starts an environment, records it for the workspace, and
// holds it until the context ends (SIGINT, SIGTERM), then removes it.
func keepEnvironment(ctx context.Context, f *Factory, ws string, servers int, ready func(*sandbox.Env)) error {
	cfg, err := f.SandboxConfig(servers)
	if err != nil {
		return err
	}
	env, err := sandbox.Start(ctx, cfg)
	defer func() { _ = env.Stop(context.WithoutCancel(ctx)) }()
	if err != nil {
		return environmentError(err)
	}
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
		Short: "Show the kept environment; exit status 1 when none runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := f.Workspace()
			if err != nil {
				return err
			}
			rec, err := sandbox.ReadKept(ws)
			if err != nil || !rec.OwnerAlive() {
				fmt.Fprintln(f.IO.Out, "No environment is running in this workspace. Start one with: dblings env up")
				return &ExitError{Code: ExitFailed}
			}
			health := "ready"
			if err := rec.Ping(cmd.Context()); err != nil {
				health = "not answering: " + err.Error()
			}
			fmt.Fprintf(f.IO.Out, "Environment: %s, %s, keeper pid %d, up %s\n",
				rec.Provider, health, rec.OwnerPID(), time.Since(rec.StartedAt).Round(time.Second))
			printEnv(f, &rec.Env, showURLs)
			return nil
		},
	}
	cmd.Flags().BoolVar(&showURLs, "urls", false, "print the connection URLs with their passwords")
	return cmd
}

func newEnvDownCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "down",
		Short: "Stop the kept environment and remove its servers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := f.Workspace()
			if err != nil {
				return err
			}
			err = sandbox.StopKept(cmd.Context(), ws)
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
	fmt.Fprintf(f.IO.Out, "  redis        %-8s %s\n", env.Redis.Version, shown(env.Redis.URL))
}
