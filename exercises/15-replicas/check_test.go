//go:build dblings

package replicas

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/15-replicas/check"
)

// The check itself is lessons/15-replicas/check, compiled once and cached;
// this file hands it your router.
func TestReplicas(t *testing.T) {
	check.Run(t, check.Exercise{
		NewRouter: func(primary, replica *pgxpool.Pool) func() check.Session {
			r := New(primary, replica)
			return func() check.Session { return r.Session() }
		},
	})
}
