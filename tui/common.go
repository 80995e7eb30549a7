package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

// common is what every screen shares. The root model owns it and hands the
// same pointer to each screen, so a resize or a change of background reaches
// all of them at once.
type common struct {
	ctx    context.Context
	styles *theme
	keys   *keyMap
	// ws is the learner's checkout: files, progress, reset and solutions.
	ws *workspace.Workspace
	// text and hints read a lesson's Markdown; tests give fixed texts so
	// that editing a lesson never breaks a golden file here.
	text  func(lessons.Lesson) string
	hints func(lessons.Lesson) []string
	// now is the clock; tests freeze it so that elapsed times and golden
	// files do not move.
	now func() time.Time
}

// screen is what the root model needs from every screen to lay it out and
// to compose the help footer. Updates are routed to the concrete types.
type screen interface {
	help.KeyMap
	// setSize gives the screen the room between the header and the footer.
	setSize(width, height int)
	view() string
}

// truncate cuts s (which may hold colours) to width cells.
func truncate(s string, width int) string { return ansi.Truncate(s, max(0, width), "…") }
