//go:build dblings

package indextypes

import (
	"testing"

	"github.com/dblings/dblings/lessons/13-index-types/check"
)

// The check itself is lessons/13-index-types/check, compiled once and
// cached; this file hands it your code.
func TestIndexTypes(t *testing.T) {
	check.Run(t, check.Exercise{
		Migrate:        Migrate,
		SignUp:         SignUp,
		FindByEmail:    FindByEmail,
		Search:         Search,
		ExpireSessions: ExpireSessions,
		ErrEmailTaken:  ErrEmailTaken,
		ErrNotFound:    ErrNotFound,
	})
}
