//go:build dblings

package onlinemigration

import (
	"testing"

	"github.com/dblings/dblings/lessons/16-online-migration/check"
)

// The check itself is lessons/16-online-migration/check, compiled once and
// cached; this file hands it your steps.
func TestOnlineMigration(t *testing.T) {
	steps := Migration()
	out := make([]check.Step, len(steps))
	for i, s := range steps {
		out[i] = check.Step{Name: s.Name, Run: s.Run, Deploy: check.App(s.Deploy)}
	}
	check.Run(t, check.Exercise{Steps: out})
}
