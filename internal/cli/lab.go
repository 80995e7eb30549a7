package cli

import (
	"context"

	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/tui"
)

// runLab opens the TUI on the workspace. The servers start in the
// background, enough for every lesson, so that the first frame does not
// wait for them; a kept "dblings env up" environment is used as it is.
func runLab(ctx context.Context, f *Factory) error {
	ws, warning, err := f.openWorkspace()
	if err != nil {
		return err
	}
	return tui.Run(ctx, tui.Options{
		Workspace: ws,
		Start: func(ctx context.Context) (*sandbox.Env, func(), error) {
			return f.Environment(ctx, ws.Catalog().Needs())
		},
		Provider: f.envName,
		Warning:  warning,
	})
}
