// Package cli builds the dblings command tree: one file per command, each
// with an options struct, a constructor and a run function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/charmbracelet/x/term"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/dblings/dblings/lessons"
)

// Exit statuses shared by every command.
const (
	ExitOK          = 0 // everything passed
	ExitFailed      = 1 // a check failed, or a command could not do its job
	ExitUsage       = 2 // a mistake on the command line: command, flag, lesson id, workspace
	ExitEnvironment = 3 // no way to get database servers, or they failed
	ExitInterrupted = 130
)

// IO is where a command reads and writes; tests use buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// Interactive is true when a person is at a terminal to answer questions.
	Interactive bool
}

// StandardIO is the process's own terminal.
func StandardIO() IO {
	// /dev/null is a character device too, so ask for a real terminal.
	interactive := term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Interactive: interactive}
}

// ExitError carries an exit status through cobra; its message is printed
// unless empty.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageError is a mistake on the command line (exit status 2).
func usageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// Main runs the command tree with args and returns the exit status. SIGINT
// and SIGTERM cancel the command's context, so whatever it started is
// cleaned up before it returns.
func Main(args []string, io IO, source fs.FS) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	redis.SetLogger(silentRedisLog{})

	root := NewRootCmd(io, source)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil {
		fmt.Fprintln(io.Err, "dblings: interrupted; what this run started has been removed")
		return ExitInterrupted
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		if exit.Err != nil {
			fmt.Fprintln(io.Err, "dblings:", exit.Err)
		}
		return exit.Code
	}
	fmt.Fprintln(io.Err, "dblings:", err)
	return ExitFailed
}

// silentRedisLog drops go-redis's own log lines ("connection pool: failed
// to dial…"), which would land in the middle of the learner's terminal:
// every failure they describe also comes back as an error, which dblings
// reports in its own words.
type silentRedisLog struct{}

func (silentRedisLog) Printf(context.Context, string, ...any) {}

// NewRootCmd builds the whole command tree on the pristine source tree
// built into the binary (see main.go).
func NewRootCmd(io IO, source fs.FS) *cobra.Command {
	f := &Factory{IO: io, source: source}
	root := &cobra.Command{
		Use:   "dblings",
		Short: "A terminal lab for production database patterns",
		Long: `dblings teaches production database patterns on real, disposable Postgres
and Redis servers. Run it without arguments to open the lab; use the
commands below to check, grade and manage lessons from scripts and CI.
In the lab, e opens the exercise in $VISUAL, else $EDITOR (neither set:
it shows the path); ? lists every key.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("unknown command %q; `dblings --help` lists the commands", args[0])
			}
			return nil
		},
		// Global flags are checked before any command does work, so a typo
		// in --env fails at once with exit status 2.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			_, err := f.SandboxConfig(lessons.Needs{})
			return err
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLab(cmd.Context(), f)
		},
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	f.addFlags(root)
	for _, cmd := range []*cobra.Command{
		newVersionCmd(f),
		newEnvCmd(f),
		newDoctorCmd(f),
		newCohortCmd(f),
		newPrepareCmd(f),
	} {
		root.AddCommand(cmd)
	}
	addLessonCommands(root, f)
	return root
}
