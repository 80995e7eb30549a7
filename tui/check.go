package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/workspace"
)

// checkRunner runs one lesson's check on the given servers and tells progress
// when each phase starts. The error is for a cancelled ctx or bad options;
// every verdict is a Result. model tests give the lab canned results.
type checkRunner interface {
	Check(ctx context.Context, l lessons.Lesson, env *sandbox.Env, progress func(run.Phase)) (*run.Result, error)
}

// runChecker checks the learner's workspace with the runner.
type runChecker struct{ Workspace *workspace.Workspace }

// Check runs run.Check on the workspace.
func (c runChecker) Check(ctx context.Context, l lessons.Lesson, env *sandbox.Env, progress func(run.Phase)) (*run.Result, error) {
	return run.Check(ctx, l, run.Options{Workspace: c.Workspace.Root(), Source: c.Workspace.Source(), Env: env, Progress: progress})
}

// MSG

// checkPhaseMsg says that run id entered a phase.
type checkPhaseMsg struct {
	id    int
	phase run.Phase
}

// checkDoneMsg carries run id's result, or the error that stopped it.
type checkDoneMsg struct {
	id     int
	result *run.Result
	err    error
}

// COMMANDS

// runs starts checks one at a time: a new check waits until the one it
// cancelled has removed its databases. Run waits for the last one on quit,
// for the same reason.
type runs struct {
	checker checkRunner
	slot    chan struct{}
	wg      sync.WaitGroup
}

func newRuns(c checkRunner) *runs { return &runs{checker: c, slot: make(chan struct{}, 1)} }

// start runs a check in the background. Its phases and its end come out of
// the returned channel, which is closed after the end.
func (r *runs) start(ctx context.Context, id int, l lessons.Lesson, env *sandbox.Env) <-chan tea.Msg {
	// Room for every phase and the end: the check never blocks on a reader
	// that has moved on to a newer run.
	events := make(chan tea.Msg, 8)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(events)
		select {
		case r.slot <- struct{}{}:
			defer func() { <-r.slot }()
		case <-ctx.Done():
			events <- checkDoneMsg{id: id, err: ctx.Err()}
			return
		}
		res, err := r.checker.Check(ctx, l, env, func(p run.Phase) {
			select {
			case events <- checkPhaseMsg{id: id, phase: p}:
			default:
			}
		})
		events <- checkDoneMsg{id: id, result: res, err: err}
	}()
	return events
}

// wait blocks until every check started has ended.
func (r *runs) wait() { r.wg.Wait() }

// waitForCheck reads the next event of a run; the page re-arms it after
// each phase, so a run streams into the event loop without a goroutine per
// message.
func waitForCheck(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

// MODEL

type checkState int

const (
	checkIdle    checkState = iota
	checkWaiting            // for the servers
	checkRunning            // a run is under way
	checkDone               // result or err is set
)

// phaseMark is when a phase started.
type phaseMark struct {
	phase run.Phase
	at    time.Time
}

// checkPage is the check screen: the run as it goes, then the verdict and
// every assertion with its evidence.
type checkPage struct {
	c      *common
	runs   *runs
	index  int
	lesson lessons.Lesson
	state  checkState
	saved  string // the file whose save started the run, if one did

	id      int
	cancel  context.CancelFunc
	events  <-chan tea.Msg
	started time.Time
	phases  []phaseMark
	spinner spinner.Model

	result  *run.Result
	err     error // the run could not happen (servers failed, runner broke)
	details bool
	next    *lessonItem // offered after a pass

	vp            viewport.Model
	width, height int
}

func newCheckPage(c *common, r *runs) *checkPage {
	p := &checkPage{c: c, runs: r, index: -1}
	p.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	p.vp = viewport.New()
	p.vp.KeyMap = pagerKeys(c.keys)
	p.restyle()
	return p
}

func (p *checkPage) restyle() { p.spinner.Style = p.c.styles.Check.Phase }

func (p *checkPage) setSize(width, height int) {
	p.width, p.height = width, height
	p.vp.SetWidth(width)
	p.layout()
}

// layout gives the viewport what the verdict lines leave, and fills it.
func (p *checkPage) layout() {
	top := lipgloss.Height(p.topView())
	p.vp.SetHeight(max(1, p.height-top-1))
	if p.state == checkDone {
		y := p.vp.YOffset()
		p.vp.SetContent(resultView(p.c.styles, p.result, p.err, p.width, p.details))
		p.vp.SetYOffset(y)
	}
}

// prepare points the page at a lesson and forgets the previous outcome.
func (p *checkPage) prepare(index int, l lessons.Lesson, saved string) {
	p.stop()
	p.index, p.lesson, p.saved = index, l, saved
	p.result, p.err, p.next = nil, nil, nil
	p.phases = nil
	p.started = p.c.now()
	p.vp.SetContent("")
	p.vp.GotoTop()
}

// waitForServers shows the run as queued until the servers answer.
func (p *checkPage) waitForServers() tea.Cmd {
	p.state = checkWaiting
	return p.spinner.Tick
}

// begin starts the run on env.
func (p *checkPage) begin(env *sandbox.Env) tea.Cmd {
	p.stop()
	p.id++
	ctx, cancel := context.WithCancel(p.c.ctx)
	p.cancel, p.state = cancel, checkRunning
	p.started = p.c.now()
	p.events = p.runs.start(ctx, p.id, p.lesson, env)
	return tea.Batch(waitForCheck(p.events), p.spinner.Tick)
}

// fail ends the run before it started, e.g. because the servers failed.
func (p *checkPage) fail(err error) {
	p.stop()
	p.state, p.err = checkDone, err
	p.layout()
}

// stop cancels the run under way, if any; its late messages are ignored.
func (p *checkPage) stop() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	p.id++
	p.state = checkIdle
}

func (p *checkPage) running() bool { return p.state == checkWaiting || p.state == checkRunning }

func (p *checkPage) capturing() bool { return false }

// UPDATE

// update handles the run's own messages and the keys of the screen. The
// root handles checkDoneMsg first, to record progress, then passes it on.
func (p *checkPage) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case checkPhaseMsg:
		if msg.id != p.id || p.state != checkRunning {
			return nil
		}
		if n := len(p.phases); n == 0 || p.phases[n-1].phase != msg.phase {
			p.phases = append(p.phases, phaseMark{msg.phase, p.c.now()})
		}
		return waitForCheck(p.events)
	case checkDoneMsg:
		if msg.id != p.id || p.state != checkRunning {
			return nil
		}
		p.cancel()
		p.cancel = nil
		p.state, p.result, p.err = checkDone, msg.result, msg.err
		p.vp.GotoTop()
		p.layout()
		return nil
	case spinner.TickMsg:
		if !p.running() {
			return nil // let the spinner stop: an idle lab uses no CPU
		}
		var cmd tea.Cmd
		p.spinner, cmd = p.spinner.Update(msg)
		return cmd
	case tea.KeyPressMsg:
		return p.handleKey(msg)
	}
	return nil
}

func (p *checkPage) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Cancel) && p.running():
		p.stop()
		p.err = errStopped
		p.state = checkDone
		p.layout()
		return nil
	case key.Matches(msg, k.Check) && p.index >= 0:
		return func() tea.Msg { return checkLessonMsg{p.index} }
	case key.Matches(msg, k.Next) && p.index >= 0:
		return func() tea.Msg { return nextLessonMsg{p.index} }
	case key.Matches(msg, k.Details) && p.state == checkDone:
		p.details = !p.details
		p.layout()
		return nil
	}
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return cmd
}

// errStopped is the outcome of a run the learner stopped.
var errStopped = errors.New("you stopped the check")

// VIEW

func (p *checkPage) view() string {
	if p.state == checkDone {
		return lipgloss.JoinVertical(lipgloss.Left, p.topView(), p.vp.View(), p.bottomView())
	}
	return lipgloss.NewStyle().Height(p.height).MaxHeight(p.height).Render(p.topView())
}

// topView is what stays in place: the run's progress, or the verdict.
func (p *checkPage) topView() string {
	switch p.state {
	case checkWaiting, checkRunning:
		return p.progressView()
	case checkDone:
		return verdictView(p.c.styles, p.result, p.err, p.saved, p.width)
	}
	return p.c.styles.Muted.Render("No check yet: press c to check this lesson.")
}

// progressView is the spinner, the phase, the elapsed time, and the phases
// done so far with how long each took.
func (p *checkPage) progressView() string {
	st := p.c.styles
	now := p.c.now()
	current := "waiting for the servers"
	if p.state == checkRunning {
		current = "starting"
		if n := len(p.phases); n > 0 {
			current = string(p.phases[n-1].phase)
		}
	}
	lines := []string{
		p.spinner.View() + " " + st.Check.Phase.Render(current) + st.Muted.Render(" · "+seconds(now.Sub(p.started))),
	}
	if p.saved != "" {
		lines = append(lines, st.Muted.Render("started by saving "+p.saved))
	}
	lines = append(lines, "")
	for i, ph := range []run.Phase{run.PhaseCompiling, run.PhasePreparing, run.PhaseRunning} {
		lines = append(lines, p.phaseLine(i, ph, now))
	}
	return truncateLines(strings.Join(lines, "\n"), p.width)
}

func (p *checkPage) phaseLine(i int, ph run.Phase, now time.Time) string {
	st := p.c.styles
	name := fmt.Sprintf("%-20s", ph)
	for j, m := range p.phases {
		if m.phase != ph {
			continue
		}
		if j == len(p.phases)-1 {
			return "  " + p.spinner.View() + " " + st.Check.Phase.Render(name) + st.Muted.Render(seconds(now.Sub(m.at)))
		}
		return "  " + st.Success.Render("✓") + " " + name + st.Muted.Render(seconds(p.phases[j+1].at.Sub(m.at)))
	}
	return "  " + st.Muted.Render("· "+name)
}

// bottomView offers the next lesson after a pass, or says how to see more.
func (p *checkPage) bottomView() string {
	st := p.c.styles
	if p.next != nil && p.result != nil && p.result.Pass() {
		return truncate(st.Success.Render("Next: ")+st.Bold.Render(fmt.Sprintf("%02d · %s", p.next.index+1, p.next.lesson.Title))+
			st.Muted.Render("  press n"), p.width)
	}
	return lipgloss.PlaceHorizontal(p.width, lipgloss.Right, st.Muted.Render(fmt.Sprintf("%3.0f%%", p.vp.ScrollPercent()*100)))
}

// HELP

func (p *checkPage) ShortHelp() []key.Binding {
	k := p.c.keys
	switch {
	case p.running():
		return []key.Binding{k.Cancel, k.Back}
	case p.result != nil && p.result.Pass():
		return []key.Binding{k.Next, k.Details, k.Back}
	case p.err != nil:
		return []key.Binding{k.Check, k.Back}
	}
	return []key.Binding{k.Check, k.Details, k.Back}
}

func (p *checkPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{
		{k.Check, k.Cancel, k.Details, k.Next, k.Back},
		{k.Up, k.Down, k.PageUp, k.PageDown},
	}
}

// ETC

func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", max(0, d.Seconds())) }

func truncateLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = truncate(l, width)
	}
	return strings.Join(lines, "\n")
}
