//go:build dblings

package migrations

import (
	"testing"

	"github.com/dblings/dblings/lessons/14-migrations/check"
)

// The check itself is lessons/14-migrations/check, compiled once and
// cached; this file hands it your migrations.
func TestMigrations(t *testing.T) {
	check.Run(t, check.Exercise{Migrations: Migrations})
}
