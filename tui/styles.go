package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/list"
	"charm.land/lipgloss/v2"
)

// theme are every style of the lab, built for a light or a dark terminal
// background. Nothing here is global: the root model rebuilds them when the
// terminal reports its background colour.
type theme struct {
	IsDark bool

	// Chrome.
	App     lipgloss.Style // padding around everything
	Header  lipgloss.Style
	Brand   lipgloss.Style
	Crumb   lipgloss.Style
	Muted   lipgloss.Style
	Bold    lipgloss.Style
	Error   lipgloss.Style
	Warning lipgloss.Style
	Success lipgloss.Style
	Accent  lipgloss.Style

	// Status line.
	Status struct {
		Bar      lipgloss.Style
		Starting lipgloss.Style
		Ready    lipgloss.Style
		Failed   lipgloss.Style
	}

	// Lessons screen.
	List struct {
		Number   lipgloss.Style
		Title    lipgloss.Style
		Selected lipgloss.Style
		Cursor   lipgloss.Style
		Passed   lipgloss.Style
		Failed   lipgloss.Style
		NotTried lipgloss.Style
		Match    lipgloss.Style
	}

	// Lesson screen.
	Lesson struct {
		Path     lipgloss.Style
		Hint     lipgloss.Style
		Question lipgloss.Style
	}

	// Check screen.
	Check struct {
		Verdict  lipgloss.Style
		Pass     lipgloss.Style
		Fail     lipgloss.Style
		Phase    lipgloss.Style
		Name     lipgloss.Style
		Message  lipgloss.Style
		Heading  lipgloss.Style
		Location lipgloss.Style
		Code     lipgloss.Style
	}

	// Evidence.
	Plan struct {
		Tree   lipgloss.Style // the connectors
		Node   lipgloss.Style
		Hot    lipgloss.Style // Seq Scan and Sort nodes
		Detail lipgloss.Style
	}
	Bar struct {
		Baseline  lipgloss.Style
		Candidate lipgloss.Style
	}

	// The bubbles' own styles, from the same background.
	Help     help.Styles
	ListBase list.Styles
	// Markdown is the glamour style for lesson texts ("dark" or "light").
	Markdown string
}

// newTheme builds the styles for a dark or a light background.
func newTheme(isDark bool) *theme {
	ld := lipgloss.LightDark(isDark)
	var (
		accent  = ld(lipgloss.Color("#5A3FD0"), lipgloss.Color("#9F8CFF"))
		green   = ld(lipgloss.Color("#007A4D"), lipgloss.Color("#3DD68C"))
		red     = ld(lipgloss.Color("#C4153A"), lipgloss.Color("#FF6B8B"))
		amber   = ld(lipgloss.Color("#9A5B00"), lipgloss.Color("#FFB454"))
		muted   = ld(lipgloss.Color("#6E6E6E"), lipgloss.Color("#8C8C8C"))
		text    = ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E4E4E4"))
		subtle  = ld(lipgloss.Color("#D0D0D0"), lipgloss.Color("#3A3A3A"))
		barBase = ld(lipgloss.Color("#B0B0B0"), lipgloss.Color("#5F5F5F"))
	)
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }

	s := &theme{IsDark: isDark}
	s.App = lipgloss.NewStyle().Padding(0, 1)
	s.Header = lipgloss.NewStyle().MarginBottom(1)
	s.Brand = fg(accent).Bold(true)
	s.Crumb = fg(muted)
	s.Muted = fg(muted)
	s.Bold = fg(text).Bold(true)
	s.Error = fg(red)
	s.Warning = fg(amber)
	s.Success = fg(green)
	s.Accent = fg(accent)

	s.Status.Bar = lipgloss.NewStyle().Foreground(muted).BorderTop(true).
		BorderStyle(lipgloss.NormalBorder()).BorderForeground(subtle)
	s.Status.Starting = fg(amber)
	s.Status.Ready = fg(green)
	s.Status.Failed = fg(red).Bold(true)

	s.List.Number = fg(muted)
	s.List.Title = fg(text)
	s.List.Selected = fg(accent).Bold(true)
	s.List.Cursor = fg(accent).Bold(true)
	s.List.Passed = fg(green)
	s.List.Failed = fg(red)
	s.List.NotTried = fg(muted)
	s.List.Match = lipgloss.NewStyle().Underline(true)

	s.Lesson.Path = fg(accent).Bold(true)
	s.Lesson.Hint = fg(amber).Bold(true)
	s.Lesson.Question = fg(amber).Bold(true)

	s.Check.Verdict = lipgloss.NewStyle().Bold(true)
	s.Check.Pass = fg(green).Bold(true)
	s.Check.Fail = fg(red).Bold(true)
	s.Check.Phase = fg(accent)
	s.Check.Name = fg(text).Bold(true)
	s.Check.Message = fg(text)
	s.Check.Heading = fg(muted).Bold(true)
	s.Check.Location = fg(accent)
	s.Check.Code = fg(muted)

	s.Plan.Tree = fg(muted)
	s.Plan.Node = fg(text).Bold(true)
	s.Plan.Hot = fg(amber).Bold(true)
	s.Plan.Detail = fg(muted)
	s.Bar.Baseline = fg(barBase)
	s.Bar.Candidate = fg(accent)

	s.Help = help.DefaultStyles(isDark)
	s.ListBase = list.DefaultStyles(isDark)
	s.Markdown = "light"
	if isDark {
		s.Markdown = "dark"
	}
	return s
}
