package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/dblings/dblings/cohort"
)

type cohortOptions struct {
	format string
	out    string
}

func newCohortCmd(f *Factory) *cobra.Command {
	opts := &cohortOptions{}
	cmd := &cobra.Command{
		Use:   "cohort <results.json…|dir>",
		Short: "Roll up a class: learners × lessons, points, and what the room is stuck on",
		Long: `Read the results.json files that "dblings grade --format json" wrote, one
per learner (files, or folders searched for *.json at any depth), and print
a table of learners × lessons with each lesson's status and points and each
learner's score, then, for each lesson, the assertions most learners fail.

A learner is named by grade's --learner, else after the file: alice.json is
alice, and .../alice/results.json (one folder per learner, as CI artifacts
are downloaded) is alice too. A file that is damaged or from another
version is named with the reason on stderr and skipped; every other file is
counted. Formats: text (default), md (Markdown), csv (one row per learner
and lesson, for a spreadsheet), json.

Exit status: 0 when every file was counted; 1 when a file was skipped (the
roll-up of the others is still written) or none could be counted; 2 on bad
usage. It needs no servers and runs anywhere.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("%s needs results files or folders, e.g. dblings cohort results/", cmd.CommandPath())
			}
			return nil
		},
		// cohort reads files and needs no workspace.
		RunE: func(_ *cobra.Command, args []string) error { return runCohort(f, opts, args) },
	}
	cmd.Flags().StringVar(&opts.format, "format", string(cohort.Text), "output format: text, md, csv or json")
	cmd.Flags().StringVar(&opts.out, "out", "", "write the roll-up to this file instead of standard output")
	return cmd
}

func runCohort(f *Factory, opts *cohortOptions, paths []string) error {
	format, err := cohort.ParseFormat(opts.format)
	if err != nil {
		return usageError("%v", err)
	}
	learners, skipped, err := cohort.Read(paths)
	if err != nil {
		return usageError("%v", err)
	}
	for _, s := range skipped {
		fmt.Fprintf(f.IO.Err, "dblings: skipped %s: %s\n", s.File, s.Problem)
	}
	if len(learners) == 0 {
		return &ExitError{Code: ExitFailed, Err: errors.New("no results to roll up: give the results.json files that dblings grade --format json wrote")}
	}
	if err := writeRoom(f, opts.out, format, cohort.Summarize(learners, skipped)); err != nil {
		return err
	}
	if len(skipped) > 0 {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// writeRoom writes the roll-up to out, or standard output when out is "".
func writeRoom(f *Factory, out string, format cohort.Format, room cohort.Room) error {
	if out == "" {
		return room.Write(f.IO.Out, format)
	}
	file, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("write the roll-up: %w", err)
	}
	if err := room.Write(file, format); err != nil {
		file.Close()
		return fmt.Errorf("write the roll-up to %s: %w", out, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write the roll-up to %s: %w", out, err)
	}
	return nil
}
