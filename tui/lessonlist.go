package tui

import (
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	progressbar "charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
)

// MSG

// openLessonMsg asks the root to open the lesson at index.
type openLessonMsg struct{ index int }

// MODEL

// lessonItem is one row of the lessons screen.
type lessonItem struct {
	index  int
	lesson lessons.Lesson
	done   progress.Lesson // the learner's status and time spent
}

func (i lessonItem) FilterValue() string {
	return fmt.Sprintf("%02d %s %s", i.index+1, i.lesson.ID, i.lesson.Title)
}

// lessonList is the lessons screen: every lesson with its status and the
// time spent on it, the overall progress, and a filter.
type lessonList struct {
	c     *common
	list  list.Model
	bar   progressbar.Model
	width int
}

func newLessonList(c *common, ls []lessons.Lesson, progressOf func(lessons.Lesson) progress.Lesson, selected int) *lessonList {
	items := make([]list.Item, len(ls))
	for i, l := range ls {
		items[i] = lessonItem{index: i, lesson: l, done: progressOf(l)}
	}
	m := &lessonList{c: c}
	m.list = list.New(items, lessonDelegate{c: c}, 0, 0)
	m.list.SetShowTitle(false)
	m.list.SetShowHelp(false)
	m.list.SetStatusBarItemName("lesson", "lessons")
	m.list.DisableQuitKeybindings() // the root owns quitting
	m.list.Select(selected)
	m.bar = progressbar.New(progressbar.WithoutPercentage(), progressbar.WithFillCharacters('━', '─'))
	m.restyle()
	return m
}

// restyle applies the current background's styles.
func (m *lessonList) restyle() {
	st := m.c.styles
	m.list.Styles = st.ListBase
	m.bar.FullColor = st.Success.GetForeground()
	m.bar.EmptyColor = st.Muted.GetForeground()
}

func (m *lessonList) setSize(width, height int) {
	m.width = width
	m.list.SetSize(width, max(0, height-lipgloss.Height(m.progressView())))
}

// setProgress updates one lesson's status and time spent.
func (m *lessonList) setProgress(index int, done progress.Lesson) {
	items := m.list.Items()
	for i, it := range items {
		if li := it.(lessonItem); li.index == index && li.done != done {
			li.done = done
			m.list.SetItem(i, li)
		}
	}
}

func (m *lessonList) selected() (int, bool) {
	it, ok := m.list.SelectedItem().(lessonItem)
	return it.index, ok
}

// capturing is true while the learner types a filter: every key is text.
func (m *lessonList) capturing() bool { return m.list.SettingFilter() }

// UPDATE

func (m *lessonList) update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyPressMsg); ok && !m.capturing() && key.Matches(msg, m.c.keys.Open) {
		if i, ok := m.selected(); ok {
			return func() tea.Msg { return openLessonMsg{i} }
		}
		return nil
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return cmd
}

// VIEW

func (m *lessonList) view() string {
	return lipgloss.JoinVertical(lipgloss.Left, m.progressView(), m.list.View())
}

// progressView is the overall progress: a bar and "n of m passed", with
// the lessons caught up counted apart, since they are no passes.
func (m *lessonList) progressView() string {
	passed, caughtUp, total := 0, 0, len(m.list.Items())
	for _, it := range m.list.Items() {
		switch it.(lessonItem).done.Status {
		case progress.Passed:
			passed++
		case progress.CaughtUp:
			caughtUp++
		}
	}
	label := fmt.Sprintf("  %d of %d passed", passed, total)
	if caughtUp > 0 {
		label += fmt.Sprintf(", %d caught up", caughtUp)
	}
	m.bar.SetWidth(max(10, min(40, m.width-lipgloss.Width(label))))
	frac := 0.0
	if total > 0 {
		frac = float64(passed) / float64(total)
	}
	return m.bar.ViewAs(frac) + m.c.styles.Muted.Render(label)
}

// HELP

func (m *lessonList) ShortHelp() []key.Binding {
	k := m.c.keys
	return []key.Binding{k.Open, m.list.KeyMap.Filter}
}

func (m *lessonList) FullHelp() [][]key.Binding {
	k, lk := m.c.keys, m.list.KeyMap
	return [][]key.Binding{
		{k.Open, lk.CursorUp, lk.CursorDown},
		{lk.Filter, lk.ClearFilter, lk.GoToStart, lk.GoToEnd},
	}
}

// ETC

// lessonDelegate draws one lesson per line: cursor, number, title, time
// spent, status.
type lessonDelegate struct{ c *common }

func (d lessonDelegate) Height() int                         { return 1 }
func (d lessonDelegate) Spacing() int                        { return 0 }
func (d lessonDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// statusWidth is the widest status column ("✗ failed last time").
const statusWidth = 18

// spentWidth is the width of the time spent column: as wide as the widest
// time in it ("1 h 05 min"), and none while no lesson has time spent, so
// that titles keep their room.
func spentWidth(items []list.Item) int {
	w := 0
	for _, it := range items {
		if it, ok := it.(lessonItem); ok {
			w = max(w, lipgloss.Width(progress.FormatSpent(it.done.Spent)))
		}
	}
	return w
}

func (d lessonDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	it, ok := item.(lessonItem)
	if !ok {
		return
	}
	st := d.c.styles.List
	cursor, title := "  ", st.Title
	if index == m.Index() {
		cursor, title = st.Cursor.Render("› "), st.Selected
	}
	number := st.Number.Render(fmt.Sprintf("%02d  ", it.index+1))
	spent, spentCol := "", spentWidth(m.Items())
	if spentCol > 0 {
		s := progress.FormatSpent(it.done.Spent)
		spent = strings.Repeat(" ", spentCol-lipgloss.Width(s)) + d.c.styles.Muted.Render(s) + "  "
	}
	room := m.Width() - lipgloss.Width(cursor) - lipgloss.Width(number) - statusWidth - 2 - lipgloss.Width(spent)
	name := truncate(it.lesson.Title, max(room, 8))
	gap := strings.Repeat(" ", max(1, room-lipgloss.Width(name)+2))
	fmt.Fprint(w, cursor+number+title.Render(name)+gap+spent+d.statusView(it.done.Status))
}

func (d lessonDelegate) statusView(s progress.Status) string {
	st := d.c.styles.List
	switch s {
	case progress.Passed:
		return st.Passed.Render("✓ " + statusText(s))
	case progress.Failed:
		return st.Failed.Render("✗ " + statusText(s))
	case progress.CaughtUp:
		return st.NotTried.Render("↷ " + statusText(s))
	default:
		return st.NotTried.Render("· " + statusText(s))
	}
}

// statusText says a status the way the lessons screen does.
func statusText(s progress.Status) string {
	if s == progress.Failed {
		return "failed last time"
	}
	return string(s)
}
