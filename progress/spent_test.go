package progress_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/progress"
)

// TestTimeSpentCountsGapsUpToABreak: each heartbeat adds the gap since the
// previous one of the same lesson when it is at most 10 minutes; a longer
// gap, or a heartbeat from before the last one, adds nothing.
func TestTimeSpentCountsGapsUpToABreak(t *testing.T) {
	tests := []struct {
		name       string
		beats      []time.Duration // offsets from at
		want       time.Duration
		lastActive time.Duration
	}{
		{"one heartbeat is no time yet", []time.Duration{0}, 0, 0},
		{"heartbeats every 30 s add up", []time.Duration{0, 30 * time.Second, time.Minute, 90 * time.Second}, 90 * time.Second, 90 * time.Second},
		{"gaps within 10 min add up", []time.Duration{0, 4 * time.Minute, 13 * time.Minute}, 13 * time.Minute, 13 * time.Minute},
		{"a gap of exactly 10 min counts", []time.Duration{0, 10 * time.Minute}, 10 * time.Minute, 10 * time.Minute},
		{"a gap over 10 min is a break", []time.Duration{0, 5 * time.Minute, 5*time.Minute + 10*time.Minute + time.Second, 5*time.Minute + 10*time.Minute + 31*time.Second}, 5*time.Minute + 30*time.Second, 5*time.Minute + 10*time.Minute + 31*time.Second},
		{"lunch counts nothing", []time.Duration{0, time.Minute, time.Hour + time.Minute}, time.Minute, time.Hour + time.Minute},
		{"an earlier heartbeat adds nothing and keeps last_active", []time.Duration{0, 5 * time.Minute, 2 * time.Minute}, 5 * time.Minute, 5 * time.Minute},
		{"then counting goes on from last_active", []time.Duration{0, 5 * time.Minute, 2 * time.Minute, 6 * time.Minute}, 6 * time.Minute, 6 * time.Minute},
		{"the same instant twice adds nothing", []time.Duration{0, time.Minute, time.Minute}, time.Minute, time.Minute},
		{"fractions of seconds are not lost", []time.Duration{0, 30*time.Second + 600*time.Millisecond, 61*time.Second + 200*time.Millisecond}, 61 * time.Second, 61 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			p, err := progress.Open(root)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range tt.beats {
				if err := p.RecordActivity("explain-index", at.Add(d)); err != nil {
					t.Fatal(err)
				}
			}
			// Another process reads what was saved.
			again, err := progress.Open(root)
			if err != nil {
				t.Fatal(err)
			}
			l := again.Lesson("explain-index")
			if l.Spent != tt.want || !l.LastActive.Equal(at.Add(tt.lastActive)) {
				t.Errorf("spent %v, last active %v; want %v, %v", l.Spent, l.LastActive, tt.want, at.Add(tt.lastActive))
			}
			if other := again.Lesson("cache-aside"); other.Spent != 0 || !other.LastActive.IsZero() {
				t.Errorf("another lesson got time: %+v", other)
			}
		})
	}
}

// TestTimeSpentIsPerLesson: a heartbeat on one lesson does not close the
// gap of another.
func TestTimeSpentIsPerLesson(t *testing.T) {
	p, err := progress.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct {
		id string
		d  time.Duration
	}{{"explain-index", 0}, {"cache-aside", 5 * time.Minute}, {"explain-index", 8 * time.Minute}, {"cache-aside", 20 * time.Minute}} {
		if err := p.RecordActivity(b.id, at.Add(b.d)); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.Lesson("explain-index").Spent; got != 8*time.Minute {
		t.Errorf("explain-index spent %v, want 8m", got)
	}
	if got := p.Lesson("cache-aside").Spent; got != 0 {
		t.Errorf("cache-aside spent %v, want nothing: its gap was 15 min", got)
	}
}

// TestTimeSpentInTheFile: the file says time_spent_s in whole seconds and
// last_active, and leaves both out for a lesson never active.
func TestTimeSpentInTheFile(t *testing.T) {
	root := t.TempDir()
	p, err := progress.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RecordRun("cache-aside", true, at, ""); err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{0, 7*time.Minute + 5*time.Second} {
		if err := p.RecordActivity("explain-index", at.Add(d)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(statePath(root))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Lessons map[string]map[string]any `json:"lessons"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	ei := file.Lessons["explain-index"]
	if ei["time_spent_s"] != float64(425) || ei["last_active"] != "2026-11-21T09:19:49Z" {
		t.Errorf("explain-index in the file = %v, want time_spent_s 425 and last_active 2026-11-21T09:19:49Z", ei)
	}
	for _, field := range []string{"time_spent_s", "last_active"} {
		if _, ok := file.Lessons["cache-aside"][field]; ok {
			t.Errorf("cache-aside has %s though it was never active: %s", field, data)
		}
	}
}

// TestFilesWithoutTimeSpentStillLoad: a version 1 file, a version 2 file
// from before time spent, and one written by hand with odd values all read.
func TestFilesWithoutTimeSpentStillLoad(t *testing.T) {
	tests := []struct {
		name, content string
		want          time.Duration
	}{
		{"version 1", `{"version": 1, "lessons": {"explain-index": {"status": "passed", "hints_shown": 2}}}`, 0},
		{"version 2 before time spent", `{"version": 2, "current": "explain-index", "lessons": {"explain-index": {"status": "failed", "last_run": "2026-11-21T09:12:44Z"}}}`, 0},
		{"with time spent", `{"version": 2, "lessons": {"explain-index": {"status": "failed", "time_spent_s": 3900, "last_active": "2026-11-21T09:12:44Z"}}}`, 65 * time.Minute},
		{"a negative time spent", `{"version": 2, "lessons": {"explain-index": {"status": "failed", "time_spent_s": -5}}}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Dir(statePath(root)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(statePath(root), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := progress.Open(root)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			l := p.Lesson("explain-index")
			if l.Status == progress.NotTried || l.Spent != tt.want {
				t.Fatalf("read %+v, want its status kept and %v spent", l, tt.want)
			}
			// A heartbeat a minute after last_active (or the first one).
			if err := p.RecordActivity("explain-index", at.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if !l.LastActive.IsZero() {
				want += time.Minute
			}
			if got := p.Lesson("explain-index"); got.Spent != want || got.Status != l.Status {
				t.Errorf("after a heartbeat: %+v, want %v spent and the status kept", got, want)
			}
		})
	}
}

// TestCorruptTimeSpentIsMovedAside: a time_spent_s that is not a number
// makes the file unreadable, as any damage does.
func TestCorruptTimeSpentIsMovedAside(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Dir(statePath(root)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath(root), []byte(`{"version": 2, "lessons": {"explain-index": {"status": "passed", "time_spent_s": "lots"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := progress.Open(root)
	if err == nil || p == nil || !strings.Contains(err.Error(), "starts afresh") {
		t.Fatalf("Open = %v, %v; want a fresh progress and a warning", p, err)
	}
	if err := p.RecordActivity("explain-index", at); err != nil {
		t.Fatal(err)
	}
}

func TestFormatSpent(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, ""},
		{time.Second, "< 1 min"},
		{59 * time.Second, "< 1 min"},
		{time.Minute, "1 min"},
		{7*time.Minute + 59*time.Second, "7 min"},
		{59 * time.Minute, "59 min"},
		{time.Hour, "1 h 00 min"},
		{time.Hour + 5*time.Minute + 30*time.Second, "1 h 05 min"},
		{12*time.Hour + 34*time.Minute, "12 h 34 min"},
	} {
		if got := progress.FormatSpent(tt.d); got != tt.want {
			t.Errorf("FormatSpent(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
