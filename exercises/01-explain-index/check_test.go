//go:build dblings

package explainindex

import (
	"testing"

	"github.com/dblings/dblings/lessons/01-explain-index/check"
)

// The check itself is lessons/01-explain-index/check, compiled once and
// cached; this file hands it your work.
func TestExplainIndex(t *testing.T) {
	check.Run(t, check.Exercise{Query: NewestPostsQuery, Migrate: Migrate})
}
