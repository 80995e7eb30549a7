package cli

import (
	"context"
	"errors"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/tui"
)

// runLab opens the TUI on the workspace. The servers start in the
// background, enough for every lesson, so that the first frame does not
// wait for them; a kept "dblings env up" environment is used as it is.
func runLab(ctx context.Context, f *Factory) error {
	ws, err := f.Workspace()
	if err != nil {
		return err
	}
	catalog := lessons.Catalog()
	prog, err := progress.Open(ws)
	var warning string
	var recovered *progress.RecoveredError
	switch {
	case errors.As(err, &recovered):
		warning = recovered.Error()
	case err != nil:
		return err
	}
	return tui.Run(ctx, tui.Options{
		Workspace: ws,
		Lessons:   catalog,
		Start: func(ctx context.Context) (*sandbox.Env, func(), error) {
			return f.Environment(ctx, maxServers(catalog))
		},
		Provider: f.envName,
		Progress: prog,
		Warning:  warning,
	})
}
