package lessons_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dblings/dblings/lessons"
)

// TestCheckTable: the optional [check] table of a manifest says how the
// check is built; a misspelt key in it is refused like any other.
func TestCheckTable(t *testing.T) {
	const base = "id = \"x-y\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n[servers]\npostgres = 1\n"
	tests := []struct {
		name, extra string
		race        bool
		says        string // the ManifestError's words; "" when it loads
	}{
		{"absent", "", false, ""},
		{"race on", "[check]\nrace = true\n", true, ""},
		{"race off", "[check]\nrace = false\n", false, ""},
		{"misspelt key", "[check]\nrcae = true\n", false, "unknown keys: check.rcae"},
		{"not a boolean", "[check]\nrace = \"yes\"\n", false, "lessons/01-x-y/lesson.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := lessons.Load(fstest.MapFS{"01-x-y/lesson.toml": {Data: []byte(base + tt.extra)}})
			if tt.says != "" {
				var bad *lessons.ManifestError
				if !errors.As(err, &bad) || !strings.Contains(err.Error(), tt.says) {
					t.Fatalf("Load = %v, want a ManifestError saying %q", err, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c[0].Race != tt.race {
				t.Errorf("Race = %v, want %v", c[0].Race, tt.race)
			}
		})
	}
}
