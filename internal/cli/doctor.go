package cli

import (
	"context"
	"fmt"
	"github.com/dblings/dblings/checker"
	"os"
	"os/exec"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/report"
	"github.com/dblings/dblings/sandbox"
)

// minFreeDisk is the space below which doctor warns: fixtures and their
// clones take a few hundred megabytes.
const minFreeDisk = 2 << 30

// Doctor reports the capabilities (pg_stat_statements, replica, WAL
// archive) of the kept environment only: it starts no servers to look.

func newDoctorCmd(f *Factory) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Report what this machine has for dblings and what is missing",
		Long: `Report Go, the Docker engine, local Postgres and Redis binaries, free disk,
a kept environment, and which environment dblings would choose. Exit status
3 when no environment can be had.

--format json prints the same report for scripts and dashboards: "ready"
(an environment can be had), "environment" (the one dblings would choose,
empty when none) and "checks", each with its name, ok and detail.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseTextJSON(format)
			if err != nil {
				return err
			}
			return runDoctorAs(cmd.Context(), f, format)
		},
	}
	addTextJSONFormat(cmd, &format)
	return cmd
}

// doctorVersion is the version of doctor's JSON document.
const doctorVersion = 1

// doctorReport is what the doctor found, for people and for programs.
type doctorReport struct {
	Version     int           `json:"version"`
	Ready       bool          `json:"ready"`
	Environment string        `json:"environment"`
	Checks      []doctorCheck `json:"checks"`
}

// doctorCheck is one line of the report.
type doctorCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func (r *doctorReport) add(ok bool, name, detail string) {
	r.Checks = append(r.Checks, doctorCheck{Name: name, OK: ok, Detail: detail})
}

// runDoctor prints the doctor's report as text (prepare shows it so).
func runDoctor(ctx context.Context, f *Factory) error {
	return runDoctorAs(ctx, f, report.Text)
}

// runDoctorAs prints the doctor's report in format; exit status 3 when no
// environment can be had, in either format.
func runDoctorAs(ctx context.Context, f *Factory, format report.Format) error {
	r, err := diagnose(ctx, f)
	if err != nil {
		return err
	}
	if format == report.JSON {
		err = writeJSON(f.IO.Out, r)
	} else {
		for _, c := range r.Checks {
			mark := "✓"
			if !c.OK {
				mark = "✗"
			}
			fmt.Fprintf(f.IO.Out, "%s %-18s %s\n", mark, c.Name, c.Detail)
		}
	}
	if err != nil {
		return err
	}
	if !r.Ready {
		return &ExitError{Code: ExitEnvironment}
	}
	return nil
}

// diagnose looks at the machine. Its error is a mistake in the settings,
// not something missing on the machine: that is a failed check.
func diagnose(ctx context.Context, f *Factory) (doctorReport, error) {
	r := doctorReport{Version: doctorVersion, Checks: []doctorCheck{}}

	goVersion, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	r.add(err == nil, "Go", checker.FirstLine(string(goVersion), "not found: install Go from https://go.dev/dl/ (checks are compiled with it)"))

	if err := sandbox.DockerAvailable(ctx); err != nil {
		r.add(false, "Docker engine", err.Error())
	} else {
		r.add(true, "Docker engine", "answers ("+dockerHost()+")")
	}

	for _, b := range sandbox.LocalBinaries() {
		r.add(b.Path != "", "local "+b.Name, checker.FirstLine(b.Path, "not found"))
	}
	var needs lessons.Needs // a catalog that does not load is reported by every other command
	if catalog, err := f.Catalog(); err == nil {
		needs = catalog.Needs()
	}
	if b := sandbox.LocalReplicationBinary(); b.Path != "" || needs.Replica || needs.Archive {
		r.add(b.Path != "", "local "+b.Name, checker.FirstLine(b.Path, "not found: the local environment needs it for replicas and base backups"))
	}

	if free, err := freeDisk(os.TempDir()); err == nil {
		r.add(free >= minFreeDisk, "free disk", fmt.Sprintf("%.1f GiB in %s", float64(free)/(1<<30), os.TempDir()))
	}

	if ws, err := f.Workspace(); err == nil {
		env, err := sandbox.LoadKept(ctx, ws)
		keepers := sandbox.Keepers(ctx, ws)
		switch {
		case err == nil:
			r.add(true, "kept environment", fmt.Sprintf("%s, running (dblings env status)", env.Provider))
			for _, c := range env.Capabilities(ctx, needs.Replica, needs.Archive) {
				r.add(c.OK, c.Name, c.Detail)
			}
		case len(keepers) > 0:
			r.add(false, "kept environment", fmt.Sprintf("its servers do not answer or its record is lost, keeper pid %s still runs: dblings env up replaces it, dblings env down stops it", joinInts(keepers)))
		default:
			r.add(true, "kept environment", "none (dblings env up starts one)")
		}
	}

	cfg, err := f.SandboxConfig(lessons.Needs{})
	if err != nil {
		return r, err
	}
	choice, err := sandbox.Choose(ctx, cfg)
	if err != nil {
		r.add(false, "environment", err.Error())
		return r, nil
	}
	how := "auto"
	if cfg.Provider != "" {
		how = "chosen by --env / DBLINGS_ENV"
	}
	r.Ready, r.Environment = true, fmt.Sprint(choice)
	r.add(true, "environment", fmt.Sprintf("%s (%s)", choice, how))
	return r, nil
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
