// Package tui is the dblings lab: a Bubble Tea application in which a
// learner browses the lessons, reads one, checks their code against real
// servers with live evidence, and moves on.
//
// The root model (model) owns a state per screen and routes messages to the
// screen on show: the lessons list (lessonlist.go), the lesson pager
// (lesson.go) and the check (check.go, with result.go and evidence.go
// drawing its outcome). The servers start in the background
// (environment.go) while the learner reads; saving an exercise file checks
// it again by itself (watch.go). Run ties it to a terminal and cleans up.
package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/workspace"
)

// Options is what the lab needs from the rest of dblings.
type Options struct {
	// Workspace is the learner's checkout: the curriculum, the progress
	// (the lab saves every check, hint and lesson opened through it), and
	// the learner's files. Required.
	Workspace *workspace.Workspace
	// Start gets the servers, in the background.
	Start StartFunc
	// Provider names where the servers come from while they start, when a
	// flag already says it; "" until they are up.
	Provider string
	// checker runs checks; nil means the runner on Workspace (tests give fakes).
	checker checkRunner
	// Warning is shown in the header at start, e.g. that the progress file
	// was unreadable and started afresh.
	Warning string
}

// state is the screen on show.
type state int

const (
	stateLessons state = iota
	stateLesson
	stateCheck
)

func (s state) String() string {
	switch s {
	case stateLesson:
		return "lesson"
	case stateCheck:
		return "check"
	default:
		return "lessons"
	}
}

// heartbeatEvery is how often the lab counts the time a learner at work
// spends on the lesson on show (see progress, "Time spent").
const heartbeatEvery = 30 * time.Second

// quietAfterReset is how long saves of a lesson are ignored after the lab
// wrote its file itself, so a reset does not start a check of the stub.
const quietAfterReset = 2 * time.Second

// model is the root model of the lab.
type model struct {
	c       *common
	lessons lessons.Catalog
	ws      *workspace.Workspace
	runs    *runs
	env     *environment
	saves   <-chan fileSavedMsg

	state  state
	list   *lessonList
	lesson *lessonPage // the lesson last opened, nil before
	check  *checkPage
	status statusLine
	help   help.Model

	width, height int
	notice        string    // a problem worth a line, e.g. progress not saved
	quietUntil    time.Time // saves are ignored until then (after a reset)
	quietLesson   int
	// activeAt is the learner's last key press, save or finished check:
	// heartbeats count only within progress.Break of it.
	activeAt time.Time
}

// heartbeatMsg is the lab's periodic count of the time spent on the lesson
// on show.
type heartbeatMsg struct{}

// heartbeat sends the next heartbeatMsg; the root re-arms it after each
// one, so one chain of them runs for the lab's life.
func heartbeat() tea.Cmd {
	return tea.Tick(heartbeatEvery, func(time.Time) tea.Msg { return heartbeatMsg{} })
}

// New builds the lab's model. Nothing starts until Init.
func newModel(ctx context.Context, opts Options) *model {
	opts = withDefaults(opts)
	c := &common{
		ctx:    ctx,
		styles: newTheme(true),
		keys:   defaultKeyMap(),
		ws:     opts.Workspace,
		text:   lessons.Lesson.Text,
		hints:  lessons.Lesson.Hints,
		now:    time.Now,
	}
	m := &model{
		c:       c,
		lessons: opts.Workspace.Catalog(),
		ws:      opts.Workspace,
		runs:    newRuns(opts.checker),
		env:     newEnvironment(opts.Start),
		help:    help.New(),
	}
	m.status = statusLine{c: c, provider: opts.Provider}
	m.list = newLessonList(c, m.lessons, m.ws.Progress, m.resumeIndex())
	m.check = newCheckPage(c, m.runs)
	m.help.Styles = c.styles.Help
	m.notice = opts.Warning
	return m
}

func withDefaults(o Options) Options {
	if o.checker == nil {
		o.checker = runChecker{Workspace: o.Workspace}
	}
	return o
}

// Init starts the servers and the heartbeat, and asks the terminal for
// its background.
func (m *model) Init() tea.Cmd {
	m.env.begin(m.c.ctx)
	return tea.Batch(tea.RequestBackgroundColor, m.env.wait, m.waitForSave(), heartbeat())
}

// waitForSave listens for the next save, when the lab watches files.
func (m *model) waitForSave() tea.Cmd {
	if m.saves == nil {
		return nil
	}
	return waitForSave(m.saves)
}

// UPDATE

// Update handles what concerns the whole lab, then routes to the screen.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		m.restyle(msg.IsDark())
		return m, nil
	case tea.KeyPressMsg:
		m.activeAt = m.c.now()
		m.refresh()
		return m, m.handleKey(msg)
	case heartbeatMsg:
		m.beat()
		return m, heartbeat()
	case envReadyMsg:
		m.status.ready(msg.env)
		if m.check.state == checkWaiting {
			return m, m.check.begin(msg.env)
		}
		return m, nil
	case envFailedMsg:
		m.status.failed(msg.err)
		if m.check.state == checkWaiting {
			m.check.fail(&serversError{msg.err})
		}
		return m, nil
	case fileSavedMsg:
		m.refresh()
		cmd := m.waitForSave()
		if msg.index == m.quietLesson && m.c.now().Before(m.quietUntil) {
			return m, cmd
		}
		m.activeAt = m.c.now() // the check it starts visits the lesson: a heartbeat
		return m, tea.Batch(cmd, m.startCheck(msg.index, msg.file))
	case openLessonMsg:
		m.openLesson(msg.index)
		return m, nil
	case nextLessonMsg:
		m.openNext(msg.after)
		return m, nil
	case checkLessonMsg:
		return m, m.startCheck(msg.index, "")
	case hintShownMsg:
		l := m.lessons[msg.index]
		_, err := m.ws.NextHint(l, m.c.hints(l), m.c.now())
		m.record(err)
		m.sync()
		return m, nil
	case resetDoneMsg:
		m.quietLesson, m.quietUntil = msg.index, m.c.now().Add(quietAfterReset)
		if m.lesson != nil {
			return m, m.lesson.update(msg)
		}
		return m, nil
	case checkDoneMsg:
		m.checked(msg)
		return m, m.check.update(msg)
	case checkPhaseMsg, spinner.TickMsg:
		// The run goes on while the learner reads the lesson.
		return m, m.check.update(msg)
	}
	return m, m.updateActive(msg)
}

func (m *model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.ForceQuit):
		return tea.Quit
	case m.capturing():
		return m.updateActive(msg)
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return nil
	case key.Matches(msg, k.Back) && m.state != stateLessons:
		m.back()
		return nil
	}
	return m.updateActive(msg)
}

// capturing is true while the screen on show takes every key as input.
func (m *model) capturing() bool {
	switch m.state {
	case stateLessons:
		return m.list.capturing()
	case stateLesson:
		return m.lesson.capturing()
	}
	return m.check.capturing()
}

func (m *model) updateActive(msg tea.Msg) tea.Cmd {
	switch m.state {
	case stateLesson:
		return m.lesson.update(msg)
	case stateCheck:
		return m.check.update(msg)
	}
	return m.list.update(msg)
}

// back goes from the check to its lesson, and from a lesson to the list.
func (m *model) back() {
	if m.state == stateCheck && m.check.index >= 0 {
		m.openLesson(m.check.index)
		return
	}
	m.state = stateLessons
	if m.lesson != nil {
		m.list.list.Select(m.lesson.index)
	}
}

func (m *model) openLesson(i int) {
	l := m.lessons[i]
	if m.lesson == nil || m.lesson.index != i {
		m.lesson = newLessonPage(m.c, i, l, m.ws.Progress(l))
	}
	m.state = stateLesson
	m.resize()
	m.record(m.ws.Visit(l, m.c.now()))
	m.sync()
}

// openNext opens the next lesson not passed yet, or the list when there is
// none left.
func (m *model) openNext(after int) {
	j := m.nextUnfinished(after)
	if j < 0 || j == after {
		m.state = stateLessons
		m.notice = "Every lesson has passed. Well done!"
		m.resize()
		return
	}
	m.list.list.Select(j)
	m.openLesson(j)
}

// startCheck shows the check screen for lesson i and starts the run, or
// queues it until the servers answer. saved is the file whose save started
// it, "" for a check asked for with a key.
func (m *model) startCheck(i int, saved string) tea.Cmd {
	m.check.prepare(i, m.lessons[i], saved)
	m.state = stateCheck
	m.record(m.ws.Visit(m.lessons[i], m.c.now()))
	m.sync()
	var cmd tea.Cmd
	switch m.status.state {
	case envReady:
		cmd = m.check.begin(m.status.env)
	case envFailed:
		m.check.fail(&serversError{m.status.err})
	default:
		cmd = m.check.waitForServers()
	}
	m.resize()
	return cmd
}

// checked records the outcome of the current run in the progress and on
// every screen that shows the lesson's status. A run that could not judge
// the code (servers down, cancelled) changes nothing.
func (m *model) checked(msg checkDoneMsg) {
	if msg.id != m.check.id || m.check.state != checkRunning || msg.result == nil || msg.result.Verdict == run.Errored {
		return
	}
	i := m.check.index
	l := m.lessons[i]
	m.activeAt = m.c.now()
	m.record(m.ws.RecordRun(l, msg.result.Pass(), m.c.now()))
	m.sync()
	if j := m.nextUnfinished(i); msg.result.Pass() && j >= 0 && j != i {
		m.check.next = &lessonItem{index: j, lesson: m.lessons[j], done: m.ws.Progress(m.lessons[j])}
	}
}

// beat is a heartbeat: the lesson on show gets the time since its last
// activity, as long as the learner pressed a key, saved or checked within
// progress.Break. An untouched lab stops counting after that.
func (m *model) beat() {
	i, ok := m.shownLesson()
	if !ok || m.c.now().Sub(m.activeAt) > progress.Break {
		return
	}
	m.record(m.ws.RecordActivity(m.lessons[i], m.c.now()))
	m.sync()
}

// shownLesson is the lesson whose screen is on show: its text or its
// check.
func (m *model) shownLesson() (int, bool) {
	switch {
	case m.state == stateLesson:
		return m.lesson.index, true
	case m.state == stateCheck && m.check.index >= 0:
		return m.check.index, true
	}
	return 0, false
}

// refresh shows what another dblings process recorded in the meantime (a
// check run from the command line, say).
func (m *model) refresh() {
	if err := m.ws.Refresh(); err != nil {
		m.record(err)
		return
	}
	m.sync()
}

// sync shows the progress as the workspace has it (statuses, time spent)
// on every screen.
func (m *model) sync() {
	for i, l := range m.lessons {
		m.list.setProgress(i, m.ws.Progress(l))
	}
	if m.lesson != nil {
		m.lesson.done = m.ws.Progress(m.lesson.lesson)
	}
}

// record shows a progress error without stopping anything.
func (m *model) record(err error) {
	if err != nil {
		m.notice = "progress not saved: " + err.Error()
	}
}

// LAYOUT

func (m *model) restyle(isDark bool) {
	*m.c.styles = *newTheme(isDark)
	m.help.Styles = m.c.styles.Help
	m.list.restyle()
	m.check.restyle()
	m.resize() // the lesson's Markdown is rendered again for the new style
}

// resize gives the screen on show what the header, the status line and
// the footer leave.
func (m *model) resize() {
	if m.width == 0 {
		return
	}
	w := m.innerWidth()
	m.help.SetWidth(w)
	h := m.height - lipgloss.Height(m.headerView()) - m.status.height(w) - lipgloss.Height(m.help.View(m))
	m.active().setSize(w, max(1, h))
}

func (m *model) innerWidth() int { return max(20, m.width-m.c.styles.App.GetHorizontalFrameSize()) }

func (m *model) active() screen {
	switch m.state {
	case stateLesson:
		return m.lesson
	case stateCheck:
		return m.check
	}
	return m.list
}

// VIEW

// View draws the header, the screen, the status line and the key help.
func (m *model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.WindowTitle = "dblings"
	if m.width == 0 {
		v.SetContent("")
		return v
	}
	w := m.innerWidth()
	bodyHeight := m.height - lipgloss.Height(m.headerView()) - m.status.height(w) - lipgloss.Height(m.help.View(m))
	body := lipgloss.NewStyle().Height(max(1, bodyHeight)).MaxHeight(max(1, bodyHeight)).Render(m.active().view())
	v.SetContent(m.c.styles.App.Render(lipgloss.JoinVertical(lipgloss.Left,
		m.headerView(), body, m.status.view(w), m.help.View(m))))
	return v
}

// headerView is the lab's name, where the learner is, and any notice.
func (m *model) headerView() string {
	st := m.c.styles
	crumb := "Lessons"
	switch m.state {
	case stateLesson:
		crumb = lessonName(m.lesson.index, m.lesson.lesson)
	case stateCheck:
		crumb = "Check · " + lessonName(m.check.index, m.check.lesson)
	}
	line := st.Brand.Render("dblings") + st.Crumb.Render(" › "+crumb)
	if m.notice != "" {
		line += st.Warning.Render("  " + m.notice)
	}
	return st.Header.Render(truncate(line, m.innerWidth()))
}

func lessonName(i int, l lessons.Lesson) string {
	if i < 0 {
		return ""
	}
	return lessonNumber(i) + " " + l.Title
}

func lessonNumber(i int) string { return fmt.Sprintf("%02d", i+1) }

// HELP

// ShortHelp is the screen's keys, then the lab's own.
func (m *model) ShortHelp() []key.Binding {
	k := m.c.keys
	keys := m.active().ShortHelp()
	if m.capturing() {
		return keys
	}
	return append(keys, k.Help, k.Quit)
}

// FullHelp is the screen's key groups, then the lab's own.
func (m *model) FullHelp() [][]key.Binding {
	k := m.c.keys
	return append(m.active().FullHelp(), []key.Binding{k.Help, k.Quit, k.ForceQuit})
}

// ETC

// resumeIndex is the lesson to select at start: the one the learner is on.
func (m *model) resumeIndex() int { return max(0, m.lessons.Index(m.ws.Current().ID)) }

// nextUnfinished is the lesson the learner goes on to after lesson i: the
// workspace's rule, so the lab and the command line agree. It is i itself
// when no other lesson is left to pass.
func (m *model) nextUnfinished(i int) int {
	return m.lessons.Index(m.ws.After(m.lessons[i]).ID)
}
