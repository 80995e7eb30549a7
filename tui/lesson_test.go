package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/progress"
)

// openFirst opens lesson 1 from the lessons screen, as a learner would.
func (l *lab) openFirst() {
	l.t.Helper()
	l.list.list.Select(0)
	l.press("enter")
	if l.state != stateLesson {
		l.t.Fatalf("enter on the lessons screen shows %v, want the lesson", l.state)
	}
}

func TestLessonScreen(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 30}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			l := newLab(t, size[0], size[1])
			l.start()
			l.openFirst()
			assertFits(t, l.screen(), size[0], size[1])
			golden(t, "lesson", l.screen())
		})
	}
}

// The file to edit is on screen whatever the scroll position, and y puts
// its full path on the clipboard.
func TestLessonShowsAndCopiesThePath(t *testing.T) {
	l := newLab(t, 80, 24)
	l.openFirst()
	l.press("f", "f", "f")
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "Edit exercises/01-explain-index/index.go") {
		t.Fatalf("the path is not on screen after scrolling:\n%s", got)
	}
	cmd := l.send(keyPress("y"))
	if cmd == nil {
		t.Fatal("y gives no clipboard command")
	}
	want := filepath.Join(l.workspace, "exercises", "01-explain-index", "index.go")
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "Copied "+want[:20]) {
		t.Errorf("no feedback after copying:\n%s", got)
	}
	if got := fmt.Sprint(cmd()); !strings.Contains(got, want) {
		t.Errorf("the clipboard gets %q, want %q", got, want)
	}
}

func TestLessonHints(t *testing.T) {
	l := newLab(t, 80, 24)
	l.openFirst()
	l.press("h")
	screen := ansi.Strip(l.screen())
	for _, want := range []string{"Hint 1 of 2", testHints[0], "hints 1/2"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after h the screen does not show %q:\n%s", want, screen)
		}
	}
	golden(t, "hint", l.screen())
	l.press("h", "h")
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "That was the last hint.") {
		t.Errorf("a third h does not say there are no more hints:\n%s", got)
	}

	// The hints shown are saved: a restart shows them again.
	p, err := progress.Open(l.workspace)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Lesson("explain-index").HintsShown; got != 2 {
		t.Errorf("the progress file says %d hints shown, want 2", got)
	}
	again := newLab(t, 80, 24, reopen(l))
	again.openFirst()
	if got := ansi.Strip(again.lesson.doc); !strings.Contains(got, "Hint 2 of 2") {
		t.Errorf("after a restart the hints are gone:\n%s", got)
	}
}

func TestLessonReset(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer string
		want   string // the file's content afterwards
	}{
		{"confirmed", "y", testStub},
		{"declined", "n", "package x // edited\n"},
		{"escaped", "esc", "package x // edited\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t, 80, 24)
			l.openFirst()
			l.press("r")
			if got := ansi.Strip(l.screen()); !strings.Contains(got, "Reset index.go to the stub? A backup is kept. y/n") {
				t.Fatalf("r does not ask before resetting:\n%s", got)
			}
			golden(t, "question", l.screen())
			l.press(tc.answer)
			b, err := os.ReadFile(filepath.Join(l.workspace, "exercises", "01-explain-index", "index.go"))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("the file holds %q, want %q", b, tc.want)
			}
			// A confirmed reset keeps the learner's version, as `dblings
			// reset` does; a declined one writes nothing.
			backups, _ := filepath.Glob(filepath.Join(l.workspace, ".dblings", "backup", "explain-index-*", "index.go"))
			switch {
			case tc.answer == "y" && len(backups) != 1:
				t.Errorf("a reset in the lab kept %d backups, want 1", len(backups))
			case tc.answer == "y":
				if kept, _ := os.ReadFile(backups[0]); string(kept) != "package x // edited\n" {
					t.Errorf("the backup holds %q, want the learner's version", kept)
				}
			case len(backups) != 0:
				t.Errorf("answering %s made a backup", tc.answer)
			}
			if l.state != stateLesson {
				t.Errorf("answering %s left the lesson screen", tc.answer)
			}
		})
	}
}

// The lab's own write of the stub must not start a check of the stub.
func TestResetDoesNotStartACheck(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.openFirst()
	l.press("r", "y")
	l.send(fileSavedMsg{index: 0, file: "index.go"})
	if l.state != stateLesson || l.checker.callCount() != 0 {
		t.Errorf("the reset's own save started a check (screen %v, %d checks)", l.state, l.checker.callCount())
	}
}

func TestLessonSolution(t *testing.T) {
	l := newLab(t, 80, 24)
	l.openFirst()
	l.press("s")
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "opens once your check passes") || strings.Contains(got, "CREATE INDEX ON posts") {
		t.Fatalf("the solution shows before a pass:\n%s", got)
	}

	solvedLab := newLab(t, 80, 24, solved("explain-index"))
	solvedLab.openFirst()
	solvedLab.press("s")
	screen := ansi.Strip(solvedLab.screen())
	for _, want := range []string{"Reference solution", "CREATE INDEX ON posts (author_id, created_at DESC)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after a pass, s does not show %q:\n%s", want, screen)
		}
	}
	golden(t, "solution", solvedLab.screen())
}

func TestLessonBackToList(t *testing.T) {
	l := newLab(t, 80, 24)
	l.list.list.Select(2)
	l.press("enter", "esc")
	if l.state != stateLessons {
		t.Fatalf("esc shows %v, want the lessons", l.state)
	}
	if i, _ := l.list.selected(); i != 2 {
		t.Errorf("back on the list, lesson %d is selected, want the one just read (2)", i)
	}
}

// e opens the exercise in $VISUAL or $EDITOR, the lab suspended while it
// runs; without either it shows the path to open by hand, and a failed
// editor is said, not swallowed.
func TestLessonEdit(t *testing.T) {
	t.Run("no editor", func(t *testing.T) {
		t.Setenv("VISUAL", "")
		t.Setenv("EDITOR", "")
		l := newLab(t, 100, 24)
		l.openFirst()
		if cmd := l.send(keyPress("e")); cmd != nil {
			t.Errorf("e without an editor gives a command")
		}
		if got := ansi.Strip(l.screen()); !strings.Contains(got, "No $VISUAL or $EDITOR set: open ") {
			t.Errorf("e without an editor does not show the path:\n%s", got)
		}
	})
	t.Run("editor", func(t *testing.T) {
		t.Setenv("VISUAL", "")
		t.Setenv("EDITOR", "true")
		l := newLab(t, 100, 24)
		l.openFirst()
		if cmd := l.send(keyPress("e")); cmd == nil {
			t.Fatal("e with $EDITOR set gives no command")
		}
		l.send(editorDoneMsg{index: l.lesson.index, err: fmt.Errorf("exit status 1")})
		if got := ansi.Strip(l.screen()); !strings.Contains(got, "The editor failed: exit status 1") {
			t.Errorf("a failed editor is not said:\n%s", got)
		}
	})
}
