package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/progress"
)

// beat lets d pass on the lab's clock in heartbeats, as the 30 s tick
// would, and checks that each heartbeat re-arms the next.
func (l *lab) beat(d time.Duration) {
	l.t.Helper()
	for end := l.clock.Add(d); l.clock.Before(end); {
		l.clock = l.clock.Add(heartbeatEvery)
		if l.send(heartbeatMsg{}) == nil {
			l.t.Fatal("a heartbeat did not arm the next one")
		}
	}
}

// spentOnFile is the time spent on lesson 1 as the progress file says,
// read by another process.
func (l *lab) spentOnFile() time.Duration {
	l.t.Helper()
	p, err := progress.Open(l.workspace)
	if err != nil {
		l.t.Fatal(err)
	}
	return p.Lesson("explain-index").Spent
}

// A learner reading and working on a lesson gets the time counted; a lab
// left untouched stops counting 10 minutes after the last key, and a key
// after a long break starts counting again without counting the break.
func TestLabCountsActiveTimeOnALesson(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.openFirst()
	l.beat(4 * time.Minute)
	if got := l.spentOnFile(); got != 4*time.Minute {
		t.Fatalf("after 4 min on the lesson the file says %v", got)
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "4 min spent · not tried") {
		t.Errorf("the lesson screen does not show the 4 min:\n%s", got)
	}

	l.press("down") // reading on
	l.beat(time.Hour)
	if got := l.spentOnFile(); got != 14*time.Minute {
		t.Fatalf("an hour untouched after a key at 4 min counts %v in all, want 14m: 10 min after the last key, then nothing", got)
	}

	l.press("down") // back from lunch
	l.beat(2 * time.Minute)
	if got := l.spentOnFile(); got != 15*time.Minute+30*time.Second {
		t.Errorf("2 min of work after the break count %v in all, want 15m30s: the first heartbeat after the break adds nothing", got)
	}
	if got := ansi.Strip(l.screen()); !strings.Contains(got, "15 min spent") {
		t.Errorf("the lesson screen does not show 15 min:\n%s", got)
	}
}

// Only a lesson on show counts: heartbeats on the lessons screen add
// nothing to any lesson.
func TestLabCountsNothingOnTheLessonsScreen(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.press("down", "up")
	l.beat(5 * time.Minute)
	for _, ls := range l.lessons {
		if got := l.ws.Progress(ls).Spent; got != 0 {
			t.Errorf("%s got %v while the lessons screen was on show", ls.ID, got)
		}
	}
}

// A learner who types in their editor presses no key in the lab: their
// saves keep the heartbeat going, even when the servers broke and no
// check finishes, and the check screen counts for its lesson.
func TestSavesKeepTheLabCounting(t *testing.T) {
	for name, res := range map[string]*run.Result{"checks fail": failedResult(), "servers broke": erroredResult()} {
		t.Run(name, func(t *testing.T) {
			l := newLab(t, 80, 24)
			l.checker.result = res
			l.start()
			l.openFirst()
			for range 3 {
				l.beat(8 * time.Minute)
				l.send(fileSavedMsg{index: 0, file: "index.go"})
				l.finishCheck()
			}
			l.beat(30 * time.Second)
			if l.state != stateCheck {
				t.Fatalf("the lab shows %v, want the check of the last save", l.state)
			}
			if got := l.spentOnFile(); got != 24*time.Minute+30*time.Second {
				t.Errorf("24.5 min of saves and checks with no key count %v, want 24m30s", got)
			}
		})
	}
}

// A hint is an activity on its lesson.
func TestAHintCounts(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.openFirst()
	l.clock = l.clock.Add(3 * time.Minute)
	l.press("h")
	if got := l.spentOnFile(); got != 3*time.Minute {
		t.Errorf("a hint 3 min after opening counts %v, want 3m", got)
	}
}

// The lessons screen shows the time spent on each lesson that has some,
// in a column of its own, and nothing for the others.
func TestLessonsShowTimeSpent(t *testing.T) {
	l := newLab(t, 80, 24)
	l.start()
	l.openFirst()
	for range 13 {
		l.beat(5 * time.Minute)
		l.press("down") // reading on
	}
	l.press("esc")
	l.list.list.Select(1)
	l.press("enter")
	l.clock = l.clock.Add(7*time.Minute + 20*time.Second)
	l.press("h") // a hint after 7 min 20 s
	l.press("esc")
	rows := map[string]string{}
	for _, line := range strings.Split(ansi.Strip(l.screen()), "\n") {
		for _, n := range []string{"01", "02", "03"} {
			if strings.Contains(line, n+"  ") {
				rows[n] = line
			}
		}
	}
	for n, want := range map[string]string{"01": "1 h 05 min  · not tried", "02": "7 min  · not tried"} {
		if !strings.Contains(rows[n], want) {
			t.Errorf("lesson %s reads %q, want %q in it", n, rows[n], want)
		}
	}
	if strings.Contains(rows["03"], "min") {
		t.Errorf("lesson 03 was never opened, yet reads %q", rows["03"])
	}
	if strings.Index(rows["01"], "· not tried") != strings.Index(rows["02"], "· not tried") {
		t.Errorf("the statuses are not in one column:\n%s\n%s", rows["01"], rows["02"])
	}
	golden(t, "lessons", l.screen())
}
