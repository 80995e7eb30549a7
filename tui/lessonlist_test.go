package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/workspace"
)

func solved(ids ...string) labOption {
	return withProgress(func(w *workspace.Workspace) {
		for _, id := range ids {
			l, err := w.Lesson(id)
			if err == nil {
				err = w.RecordRun(l, true, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
			}
			if err != nil {
				panic(err)
			}
		}
	})
}

func visited(id string) labOption {
	return withProgress(func(w *workspace.Workspace) {
		l, err := w.Lesson(id)
		if err == nil {
			err = w.Visit(l, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		}
		if err != nil {
			panic(err)
		}
	})
}

func TestLessonsScreen(t *testing.T) {
	failedOnce := withProgress(func(w *workspace.Workspace) {
		l, _ := w.Lesson("n-plus-one")
		_ = w.RecordRun(l, false, time.Now())
	})
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 30}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			l := newLab(t, size[0], size[1], solved("explain-index"), failedOnce)
			l.start()
			assertFits(t, l.screen(), size[0], size[1])
			golden(t, "lessons", l.screen())
		})
	}
}

// The next unfinished lesson is selected at start; a learner who was on a
// lesson they have not finished comes back to it.
func TestLessonsSelectsWhereToResume(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []labOption
		want string
	}{
		{"fresh workspace", nil, "explain-index"},
		{"first passed", []labOption{solved("explain-index")}, "n-plus-one"},
		{"first two passed", []labOption{solved("explain-index", "n-plus-one")}, "cache-aside"},
		{"was on an unfinished lesson", []labOption{visited("cache-aside")}, "cache-aside"},
		{"was on a passed lesson", []labOption{solved("n-plus-one")}, "cache-aside"},
		{"all passed", []labOption{solved("explain-index", "n-plus-one", "cache-aside")}, "cache-aside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t, 80, 24, tc.opts...)
			i, ok := l.list.selected()
			if !ok || l.lessons[i].ID != tc.want {
				t.Errorf("selected %q, want %q", l.lessons[i].ID, tc.want)
			}
		})
	}
}

func TestLessonsProgressBar(t *testing.T) {
	l := newLab(t, 80, 24, solved("explain-index", "n-plus-one"))
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "2 of 3 passed") {
		t.Errorf("the lessons screen does not say 2 of 3 passed:\n%s", got)
	}
}

func TestLessonsFilter(t *testing.T) {
	l := newLab(t, 80, 24)
	l.press("/")
	// While typing a filter, q is a letter, not quit.
	if quits(l.send(keyPress("q"))) {
		t.Fatal("q typed into the filter quits")
	}
	l.press("backspace", "r", "e", "d", "i", "s")
	l.press("enter") // accept the filter
	golden(t, "filtered", l.screen())
	l.press("enter") // open the only match
	if l.state != stateLesson || l.lesson.lesson.ID != "cache-aside" {
		t.Fatalf("enter on the filtered list opened %v, want the cache-aside lesson", l.state)
	}
}

func TestLessonsQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			l := newLab(t, 80, 24)
			if !quits(l.send(keyPress(k))) {
				t.Errorf("%s does not quit", k)
			}
		})
	}
}

// TestLessonsShowCaughtUp: a lesson laid by `dblings catch-up` reads
// "caught up", as in `dblings list`, and is not counted as passed.
func TestLessonsShowCaughtUp(t *testing.T) {
	caughtUp := withProgress(func(w *workspace.Workspace) {
		target, _ := w.Lesson("n-plus-one")
		plan, err := w.PlanCatchUp(target)
		if err == nil {
			_, err = w.CatchUp(plan, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		}
		if err != nil {
			panic(err)
		}
	})
	l := newLab(t, 80, 24, caughtUp)
	got := ansi.Strip(l.screen())
	for _, want := range []string{"↷ caught up", "0 of 3 passed, 1 caught up"} {
		if !strings.Contains(got, want) {
			t.Errorf("the lessons screen does not say %q:\n%s", want, got)
		}
	}
	if i, ok := l.list.selected(); !ok || l.lessons[i].ID != "n-plus-one" {
		t.Errorf("selected %q, want the lesson caught up to", l.lessons[i].ID)
	}
}
