package tui

import "charm.land/bubbles/v2/key"

// keyMap is every key binding of the lab. Screens pick the ones they use
// for their help; Update matches them with key.Matches, never raw strings.
type keyMap struct {
	// Everywhere.
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	Back      key.Binding

	// Lessons.
	Open key.Binding

	// Lesson and check.
	Check    key.Binding
	Hint     key.Binding
	Reset    key.Binding
	Solution key.Binding
	CopyPath key.Binding
	Edit     key.Binding
	Next     key.Binding
	Details  key.Binding
	Cancel   key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding

	// A question waiting for an answer.
	Yes key.Binding
	No  key.Binding
}

// defaultKeyMap returns the lab's key bindings.
func defaultKeyMap() *keyMap {
	return &keyMap{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),

		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),

		Check:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check")),
		Hint:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "hint")),
		Reset:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset file")),
		Solution: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "solution")),
		CopyPath: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy path")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Next:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next lesson")),
		Details:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "queries & output")),
		Cancel:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop check")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b", "u"), key.WithHelp("b/pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space", "f", "d"), key.WithHelp("f/pgdn", "page down")),

		Yes: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
	}
}
