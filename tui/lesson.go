package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/workspace"
)

// MSG

// checkLessonMsg asks the root to check the lesson at index.
type checkLessonMsg struct{ index int }

// nextLessonMsg asks the root to open the next unfinished lesson after index.
type nextLessonMsg struct{ after int }

// hintShownMsg tells the root to save that one more hint was shown.
type hintShownMsg struct{ index int }

// editorDoneMsg says the editor opened by "e" has quit (err: why it failed).
type editorDoneMsg struct {
	index int
	err   error
}

// resetDoneMsg says the exercise file was put back to the stub (or why not).
type resetDoneMsg struct {
	index   int
	written workspace.Written
	err     error
}

// MODEL

// lessonPage is the lesson screen: the text in a scrolling pager, the file
// to edit, and the hints and the solution once asked for.
type lessonPage struct {
	c      *common
	index  int
	lesson lessons.Lesson
	// done is the learner's progress on the lesson: its status, and
	// whether it ever passed, which unlocks the solution.
	done   progress.Lesson
	hints  []string
	shown  int    // hints shown so far
	answer string // the reference solution, once the learner asked for it

	confirming bool   // waiting for y/n before a reset
	notice     string // one line of feedback under the text

	vp     viewport.Model
	width  int
	height int
	// doc is the rendered Markdown, kept until the width, the background
	// or the content changes: glamour is the slowest thing on screen.
	doc    string
	docKey string
}

func newLessonPage(c *common, index int, l lessons.Lesson, done progress.Lesson) *lessonPage {
	p := &lessonPage{c: c, index: index, lesson: l, done: done, hints: c.hints(l)}
	p.shown = min(done.HintsShown, len(p.hints))
	p.vp = viewport.New()
	p.vp.SoftWrap = true
	p.vp.KeyMap = pagerKeys(c.keys)
	return p
}

// pagerKeys gives the viewport our scrolling keys and none of its own, so
// that "h" (hint) and "l" never scroll sideways.
func pagerKeys(k *keyMap) viewport.KeyMap {
	off := key.NewBinding(key.WithDisabled())
	return viewport.KeyMap{
		Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown,
		HalfPageUp: off, HalfPageDown: off, Left: off, Right: off,
	}
}

func (p *lessonPage) setSize(width, height int) {
	p.width, p.height = width, height
	p.vp.SetWidth(width)
	p.vp.SetHeight(max(1, height-lipgloss.Height(p.headerView())-1))
	p.refresh()
}

// refresh renders the Markdown again when something it depends on changed,
// keeping the reader's place.
func (p *lessonPage) refresh() {
	k := fmt.Sprintf("%d/%s/%d/%t", p.width, p.c.styles.Markdown, p.shown, p.answer != "")
	if k == p.docKey || p.width == 0 {
		return
	}
	y := p.vp.YOffset()
	p.doc, p.docKey = renderMarkdown(p.markdown(), p.c.styles.Markdown, p.width), k
	p.vp.SetContent(p.doc)
	p.vp.SetYOffset(y)
}

// markdown is the lesson text followed by the hints shown and the solution.
func (p *lessonPage) markdown() string {
	var b strings.Builder
	b.WriteString(p.c.text(p.lesson))
	for i := range p.shown {
		fmt.Fprintf(&b, "\n\n## Hint %d of %d\n\n%s\n", i+1, len(p.hints), p.hints[i])
	}
	if p.answer != "" {
		fmt.Fprintf(&b, "\n\n## Reference solution\n\n```go\n%s\n```\n", strings.TrimRight(p.answer, "\n"))
	}
	return b.String()
}

// scrollTo puts the first line containing text at the top of the pager.
func (p *lessonPage) scrollTo(text string) {
	for i, line := range strings.Split(ansi.Strip(p.doc), "\n") {
		if strings.Contains(line, text) {
			p.vp.SetYOffset(i)
			return
		}
	}
}

func (p *lessonPage) capturing() bool { return p.confirming }

// UPDATE

func (p *lessonPage) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if p.confirming {
			return p.answerReset(msg)
		}
		return p.handleKey(msg)
	case editorDoneMsg:
		if msg.index == p.index && msg.err != nil {
			p.notice = "The editor failed: " + msg.err.Error()
		}
		return nil
	case resetDoneMsg:
		if msg.index == p.index {
			switch {
			case msg.err != nil:
				p.notice = "Could not reset the file: " + msg.err.Error()
			case msg.written.Backup != "":
				p.notice = "Back to the original stub; your version is in " + msg.written.Backup + "."
			default:
				p.notice = "The file is already the original stub."
			}
		}
		return nil
	}
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return cmd
}

func (p *lessonPage) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	p.notice = ""
	switch {
	case key.Matches(msg, k.Check):
		return func() tea.Msg { return checkLessonMsg{p.index} }
	case key.Matches(msg, k.Next):
		return func() tea.Msg { return nextLessonMsg{p.index} }
	case key.Matches(msg, k.Hint):
		return p.showHint()
	case key.Matches(msg, k.Reset):
		p.confirming = true
		return nil
	case key.Matches(msg, k.Solution):
		return p.showSolution()
	case key.Matches(msg, k.CopyPath):
		p.notice = "Copied " + p.absPath()
		return tea.SetClipboard(p.absPath())
	case key.Matches(msg, k.Edit):
		return p.edit()
	}
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return cmd
}

// edit opens the exercise in the learner's editor, the lab suspended
// while it runs; saving re-checks it through watch mode, as with any
// editor. Without one, the path is shown to open by hand.
func (p *lessonPage) edit() tea.Cmd {
	cmd, ok := editorCommand(os.Getenv, p.absPath())
	if !ok {
		p.notice = "No $VISUAL or $EDITOR set: open " + p.absPath()
		return nil
	}
	index := p.index
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return editorDoneMsg{index, err} })
}

func (p *lessonPage) showHint() tea.Cmd {
	if p.shown >= len(p.hints) {
		p.notice = "That was the last hint."
		if len(p.hints) == 0 {
			p.notice = "This lesson has no hints."
		}
		return nil
	}
	p.shown++
	p.refresh()
	p.scrollTo(fmt.Sprintf("Hint %d of %d", p.shown, len(p.hints)))
	index := p.index
	return func() tea.Msg { return hintShownMsg{index} }
}

func (p *lessonPage) showSolution() tea.Cmd {
	if !p.done.Solved() {
		p.notice = "The reference solution opens once your check passes."
		return nil
	}
	if p.answer == "" {
		files, err := p.c.ws.Solution(p.lesson)
		if err != nil {
			p.notice = "No reference solution is built into this binary."
			return nil
		}
		var b strings.Builder
		for _, f := range files {
			fmt.Fprintf(&b, "// %s\n%s\n", f.Path, f.Content)
		}
		p.answer = strings.TrimSuffix(b.String(), "\n")
		p.refresh()
	}
	p.scrollTo("Reference solution")
	return nil
}

func (p *lessonPage) answerReset(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Yes):
		p.confirming = false
		return resetFile(p.c, p.index, p.lesson)
	case key.Matches(msg, k.No):
		p.confirming = false
	}
	return nil
}

// VIEW

func (p *lessonPage) view() string {
	return lipgloss.JoinVertical(lipgloss.Left, p.headerView(), p.vp.View(), p.footerView())
}

// headerView is the file to edit, always visible so it can be copied,
// then the time spent on the lesson and its status.
func (p *lessonPage) headerView() string {
	st := p.c.styles
	edit := st.Muted.Render("Edit ") + st.Lesson.Path.Render(p.lesson.ExercisePath())
	status := st.Muted.Render(statusText(p.done.Status))
	if p.done.Status == progress.Passed {
		status = st.Success.Render("✓ passed")
	}
	if spent := progress.FormatSpent(p.done.Spent); spent != "" {
		status = st.Muted.Render(spent+" spent · ") + status
	}
	gap := max(1, p.width-lipgloss.Width(edit)-lipgloss.Width(status))
	return truncate(edit+strings.Repeat(" ", gap)+status, p.width)
}

func (p *lessonPage) footerView() string {
	st := p.c.styles
	switch {
	case p.confirming:
		return truncate(st.Lesson.Question.Render("Reset "+p.lesson.File+" to the stub? A backup is kept. ")+
			st.Muted.Render("y/n"), p.width)
	case p.notice != "":
		return truncate(st.Accent.Render(p.notice), p.width)
	}
	info := fmt.Sprintf("%3.0f%%", p.vp.ScrollPercent()*100)
	if n := len(p.hints); n > 0 {
		info = fmt.Sprintf("hints %d/%d · %s", p.shown, n, info)
	}
	return lipgloss.PlaceHorizontal(p.width, lipgloss.Right, st.Muted.Render(info))
}

// HELP

func (p *lessonPage) ShortHelp() []key.Binding {
	k := p.c.keys
	if p.confirming {
		return []key.Binding{k.Yes, k.No}
	}
	return []key.Binding{k.Check, k.Hint, k.Back}
}

func (p *lessonPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{
		{k.Check, k.Hint, k.Reset, k.Solution},
		{k.Edit, k.CopyPath, k.Next, k.Back},
		{k.Up, k.Down, k.PageUp, k.PageDown},
	}
}

// COMMANDS

// resetFile puts the lesson's stub back, after backing up the learner's
// version, as "dblings reset" does.
func resetFile(c *common, index int, l lessons.Lesson) tea.Cmd {
	return func() tea.Msg {
		written, err := c.ws.Reset(l)
		return resetDoneMsg{index, written, err}
	}
}

// ETC

func (p *lessonPage) absPath() string {
	return filepath.Join(p.c.ws.Root(), filepath.FromSlash(p.lesson.ExercisePath()))
}

// renderMarkdown renders a lesson for the terminal. A text glamour cannot
// render is still worth reading, so it is shown as it is.
func renderMarkdown(md, style string, width int) string {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return md
	}
	out, err := r.Render(md)
	if err != nil {
		return md
	}
	return strings.Trim(out, "\n")
}
