package tui

import (
	"context"
	"errors"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// maxFPS caps how often the terminal is redrawn.
const maxFPS = 20

// Run opens the lab on the terminal and returns when the learner quits.
// Before it returns it stops what this process started: a check under way
// (whose databases are removed), the servers if it started them, and the
// file watcher. Servers kept by "dblings env up" keep running.
func Run(parent context.Context, opts Options) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	m := newModel(ctx, opts)
	w, err := watch(ctx, opts.Workspace.Root(), m.lessons)
	if err != nil {
		m.notice = "saving will not start a check: " + err.Error()
	} else {
		defer w.close()
		m.saves = w.saves
	}

	p := tea.NewProgram(m, programOptions(ctx)...)
	_, err = p.Run()
	cancel()
	m.runs.wait()
	m.env.close()
	if errors.Is(err, tea.ErrProgramKilled) && parent.Err() != nil {
		return parent.Err() // a signal: the caller reports the interruption
	}
	return err
}

// programOptions draws at most 20 frames a second: the renderer wakes up
// at that rate even when nothing changes, and at the default 60 that was
// most of the lab's idle CPU; 20 is still quicker than a key repeats. It
// honours NO_COLOR whatever its value (no-color.org: any non-empty value),
// where the terminal detection accepts only booleans.
func programOptions(ctx context.Context) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(maxFPS)}
	if os.Getenv("NO_COLOR") != "" {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	return opts
}
