package cli

import (
	"context"
	"fmt"
	"github.com/dblings/dblings/checker"
	"os"
	"os/exec"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/sandbox"
)

// minFreeDisk is the space below which doctor warns: fixtures and their
// clones take a few hundred megabytes.
const minFreeDisk = 2 << 30

func newDoctorCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Report what this machine has for dblings and what is missing",
		Long: `Report Go, the Docker engine, local Postgres and Redis binaries, free disk,
a kept environment, and which environment dblings would choose. Exit status
2 when no environment can be had.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDoctor(cmd.Context(), f)
		},
	}
}

func runDoctor(ctx context.Context, f *Factory) error {
	out := f.IO.Out
	line := func(ok bool, what, detail string) {
		mark := "✓"
		if !ok {
			mark = "✗"
		}
		fmt.Fprintf(out, "%s %-18s %s\n", mark, what, detail)
	}

	goVersion, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	line(err == nil, "Go", checker.FirstLine(string(goVersion), "not found: install Go from https://go.dev/dl/ (checks are compiled with it)"))

	if err := sandbox.DockerAvailable(ctx); err != nil {
		line(false, "Docker engine", err.Error())
	} else {
		line(true, "Docker engine", "answers ("+dockerHost()+")")
	}

	for _, b := range sandbox.LocalBinaries() {
		line(b.Path != "", "local "+b.Name, checker.FirstLine(b.Path, "not found"))
	}

	if free, err := freeDisk(os.TempDir()); err == nil {
		line(free >= minFreeDisk, "free disk", fmt.Sprintf("%.1f GiB in %s", float64(free)/(1<<30), os.TempDir()))
	}

	if ws, err := f.Workspace(); err == nil {
		env, err := sandbox.LoadKept(ctx, ws)
		keepers := sandbox.Keepers(ctx, ws)
		switch {
		case err == nil:
			line(true, "kept environment", fmt.Sprintf("%s, running (dblings env status)", env.Provider))
		case len(keepers) > 0:
			line(false, "kept environment", fmt.Sprintf("its servers do not answer or its record is lost, keeper pid %s still runs: dblings env up replaces it, dblings env down stops it", joinInts(keepers)))
		default:
			line(true, "kept environment", "none (dblings env up starts one)")
		}
	}

	cfg, err := f.SandboxConfig(1)
	if err != nil {
		return err
	}
	choice, err := sandbox.Choose(ctx, cfg)
	if err != nil {
		line(false, "environment", err.Error())
		return &ExitError{Code: ExitEnvironment}
	}
	how := "auto"
	if cfg.Provider != "" {
		how = "chosen by --env / DBLINGS_ENV"
	}
	line(true, "environment", fmt.Sprintf("%s (%s)", choice, how))
	return nil
}

func dockerHost() string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return "unix:///var/run/docker.sock"
}

func freeDisk(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
