package cli

import (
	"context"
	"errors"
)

// runLab opens the TUI.
func runLab(ctx context.Context, f *Factory) error {
	return errors.New("the lab is not built yet")
}
