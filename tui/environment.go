package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

// StartFunc gets the servers. release stops what it started; for an
// environment kept by "dblings env up" it does nothing, so that quitting the
// lab leaves that environment running.
type StartFunc func(ctx context.Context) (env *sandbox.Env, release func(), err error)

// MSG

// envReadyMsg says the servers answer.
type envReadyMsg struct{ env *sandbox.Env }

// envFailedMsg says the servers could not be had, and why.
type envFailedMsg struct{ err error }

// MODEL

// environment starts the servers in the background, so that the learner can
// read while they come up, and stops them when the lab ends.
type environment struct {
	start StartFunc
	done  chan struct{}

	// Set once, before done is closed.
	env     *sandbox.Env
	release func()
	err     error
}

func newEnvironment(start StartFunc) *environment {
	return &environment{start: start, done: make(chan struct{})}
}

// begin starts the servers; wait reports when they are ready.
func (e *environment) begin(ctx context.Context) {
	go func() {
		defer close(e.done)
		e.env, e.release, e.err = e.start(ctx)
		if e.err == nil && e.env == nil {
			e.err = fmt.Errorf("no servers were returned")
		}
	}()
}

// COMMANDS

// wait is the command that turns the end of begin into a message.
func (e *environment) wait() tea.Msg {
	<-e.done
	if e.err != nil {
		return envFailedMsg{e.err}
	}
	return envReadyMsg{e.env}
}

// close waits for begin (whose ctx the caller has cancelled, if it wanted
// it cut short) and stops whatever it started.
func (e *environment) close() {
	<-e.done
	if e.release != nil {
		e.release()
	}
}

// ETC

type envState int

const (
	envStarting envState = iota
	envReady
	envFailed
)

func (s envState) String() string {
	switch s {
	case envReady:
		return "ready"
	case envFailed:
		return "failed"
	default:
		return "starting"
	}
}

// statusLine shows where the servers come from and whether they answer.
type statusLine struct {
	c        *common
	state    envState
	provider string // known before the servers are, when a flag forces it
	env      *sandbox.Env
	err      error
}

func (s *statusLine) ready(env *sandbox.Env) {
	s.state, s.env = envReady, env
	if env.Provider != "" {
		s.provider = string(env.Provider)
	}
	if env.Kept {
		s.provider += " (env up)"
	}
}

func (s *statusLine) failed(err error) { s.state, s.err = envFailed, err }

// view renders the line at the given width; the failure's reason is cut to
// fit, and shown whole on the check screen.
func (s *statusLine) view(width int) string {
	st := s.c.styles
	var parts []string
	provider := s.provider
	if provider == "" {
		provider = "servers"
	}
	switch s.state {
	case envStarting:
		parts = append(parts, st.Status.Starting.Render("○ "+provider+" · starting"))
	case envReady:
		parts = append(parts, st.Status.Ready.Render("● "+provider+" · ready"))
		parts = append(parts, versions(s.env)...)
	case envFailed:
		parts = append(parts, st.Status.Failed.Render("✗ "+provider+" · failed: ")+checker.OneLine(s.err.Error()))
	}
	line := strings.Join(parts, st.Muted.Render(" · "))
	return st.Status.Bar.Width(width).Render(truncate(line, width))
}

func versions(env *sandbox.Env) []string {
	var out []string
	if len(env.Postgres) > 0 {
		v := "Postgres " + env.Postgres[0].Version
		if n := len(env.Postgres); n > 1 {
			v += fmt.Sprintf(" ×%d", n)
		}
		out = append(out, v)
	}
	if env.Redis.URL != "" {
		out = append(out, "Redis "+env.Redis.Version)
	}
	return out
}

// statusHeight is how many lines the status line takes.
func (s *statusLine) height(width int) int { return lipgloss.Height(s.view(width)) }
