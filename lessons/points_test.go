package lessons_test

import (
	"testing"
	"testing/fstest"

	"github.com/dblings/dblings/lessons"
)

func TestPoints(t *testing.T) {
	const base = "id = \"x-y\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n"
	tests := []struct {
		name, points string
		want         int
		says         string // the manifest error, "" when it loads
	}{
		{"left out", "", lessons.DefaultPoints, ""},
		{"given", "points = 25\n", 25, ""},
		{"zero: a lesson for practice", "points = 0\n", 0, ""},
		{"negative", "points = -1\n", 0, "points must be between 0 and"},
		{"too many", "points = 100000\n", 0, "points must be between 0 and"},
		{"not a number", "points = \"ten\"\n", 0, "lessons/01-x-y/lesson.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := fstest.MapFS{"01-x-y/lesson.toml": {Data: []byte(base + tt.points + "[servers]\npostgres = 1\n")}}
			c := loadOne(t, tree, tt.says)
			if c == nil {
				return
			}
			if c[0].Points != tt.want {
				t.Errorf("points %d, want %d", c[0].Points, tt.want)
			}
		})
	}
}

// TestEveryLessonIsWorthSomething: the catalog's lessons all count in
// grade's score.
func TestEveryLessonIsWorthSomething(t *testing.T) {
	for _, l := range catalog(t) {
		if l.Points < 1 {
			t.Errorf("%s is worth %d points", l.ID, l.Points)
		}
	}
}
