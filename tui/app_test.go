package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/sandbox"
)

// Every screen fits any terminal, from a cramped split pane to a wide one,
// and keeps fitting when the terminal is resized.
func TestScreensFitTheTerminal(t *testing.T) {
	screens := map[string]func(*lab){
		"lessons": func(*lab) {},
		"lesson":  func(l *lab) { l.openFirst(); l.press("h") },
		"check":   func(l *lab) { l.openFirst(); l.press("c"); l.finishCheck() },
		"help":    func(l *lab) { l.openFirst(); l.press("?") },
	}
	sizes := [][2]int{{80, 24}, {40, 12}, {60, 20}, {132, 43}, {200, 60}, {80, 24}}
	for name, open := range screens {
		t.Run(name, func(t *testing.T) {
			l := newLab(t, 80, 24)
			l.start()
			open(l)
			for _, size := range sizes {
				l.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
					assertFits(t, l.screen(), size[0], size[1])
				})
			}
		})
	}
}

func TestFullHelp(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.openFirst()
	l.press("?")
	screen := ansi.Strip(l.screen())
	for _, want := range []string{"reset file", "solution", "copy path", "next lesson", "ctrl+c"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the full help does not list %q", want)
		}
	}
	golden(t, "lesson", l.screen())
	l.press("?")
	if strings.Contains(ansi.Strip(l.screen()), "copy path") {
		t.Error("a second ? does not close the full help")
	}
}

// theme follow the terminal's background: the same screen is drawn in
// other colours on a light terminal, with the same text.
func TestLightAndDarkBackgrounds(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.openFirst()
	dark := l.screen()
	l.send(tea.BackgroundColorMsg{Color: color.White})
	light := l.screen()
	if l.c.styles.IsDark || l.c.styles.Markdown != "light" {
		t.Fatal("a white background did not switch to the light styles")
	}
	if dark == light {
		t.Error("the light background is drawn with the dark colours")
	}
	if ansi.Strip(dark) != ansi.Strip(light) {
		t.Errorf("the text changed with the background:\n%s\n---\n%s", ansi.Strip(dark), ansi.Strip(light))
	}
}

// NO_COLOR, whatever its value, turns colours off; bold and the ▲ marks
// still show what matters.
func TestNoColor(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  bool
	}{{"1", true}, {"yes", true}, {"", false}} {
		t.Run(fmt.Sprintf("NO_COLOR=%q", tc.value), func(t *testing.T) {
			t.Setenv("NO_COLOR", tc.value)
			l := newLab(t, 80, 24)
			var out bytes.Buffer
			// A true-colour terminal, unless NO_COLOR says otherwise.
			opts := append([]tea.ProgramOption{tea.WithColorProfile(colorprofile.TrueColor)}, programOptions(context.Background())...)
			opts = append(opts, tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(80, 24))
			p := tea.NewProgram(l.model, opts...)
			go func() { time.Sleep(300 * time.Millisecond); p.Quit() }()
			if _, err := p.Run(); err != nil {
				t.Fatal(err)
			}
			coloured := strings.Contains(out.String(), "\x1b[38;2;")
			if coloured == tc.want {
				t.Errorf("colours in the output: %v, with NO_COLOR=%q", coloured, tc.value)
			}
			if !strings.Contains(out.String(), "dblings") {
				t.Errorf("nothing was drawn: %q", out.String())
			}
		})
	}
}

func TestStatusLine(t *testing.T) {
	st := &statusLine{c: &common{styles: newTheme(true)}, provider: "docker"}
	two := *testEnv
	two.Provider = "docker"
	two.Postgres = append(two.Postgres, sandbox.Server{Version: "17.6"})
	kept := two
	kept.Provider, kept.Kept = "local", true
	for _, tc := range []struct {
		name string
		set  func()
		want string
	}{
		{"starting", func() {}, "○ docker · starting"},
		{"ready", func() { st.ready(&two) }, "● docker · ready · Postgres 17.6 ×2 · Redis 7.4.2"},
		{"failed", func() { st.failed(errors.New("port 5432\nis taken")) }, "✗ docker · failed: port 5432 is taken"},
		{"kept by env up", func() { st.ready(&kept) }, "● local (env up) · ready"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			if got := ansi.Strip(st.view(60)); !strings.Contains(got, tc.want) {
				t.Errorf("status line %q, want %q", got, tc.want)
			}
		})
	}
}

// The servers start in the background; closing waits for the start and
// stops what it started.
func TestEnvironmentLifecycle(t *testing.T) {
	var released atomic.Int32
	started := make(chan struct{})
	e := newEnvironment(func(ctx context.Context) (*sandbox.Env, func(), error) {
		close(started)
		<-ctx.Done() // a slow start, cut short by quitting
		return testEnv, func() { released.Add(1) }, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	e.begin(ctx)
	<-started
	if msg := runWithin(e.wait, 20*time.Millisecond); msg != nil {
		t.Fatalf("wait returned %T before the servers were up", msg)
	}
	cancel()
	e.close()
	if released.Load() != 1 {
		t.Errorf("release ran %d times, want once", released.Load())
	}
}

// Init returns at once: the first frame never waits for the servers.
func TestInitDoesNotWaitForServers(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	l := newLab(t, 80, 24, withStart(func(context.Context) (*sandbox.Env, func(), error) {
		<-block
		return testEnv, func() {}, nil
	}))
	done := make(chan struct{})
	go func() { l.Init(); _ = l.screen(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Init or the first frame waited for the servers")
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "starting") {
		t.Errorf("the first frame does not say the servers are starting:\n%s", got)
	}
}
