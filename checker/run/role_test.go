package run

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/internal/testenv"
)

// TestSweepsSideBySide: the checks of a room start at once on one server,
// and each first sweeps the roles that killed checks left. Every sweep
// succeeds and every orphan is gone.
func TestSweepsSideBySide(t *testing.T) {
	env := testenv.Start(t, 1)
	ctx := context.Background()
	admin := env.PrimaryURL()
	for round := range 3 {
		err := withConn(ctx, admin, func(conn *pgx.Conn) error {
			for i := range 20 {
				name := pgx.Identifier{fmt.Sprintf("%sorphan_%d_%d", learnerRolePrefix, round, i)}.Sanitize()
				if _, err := conn.Exec(ctx, "CREATE ROLE "+name); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				errs[i] = withConn(ctx, admin, func(c *pgx.Conn) error { return dropLearnerRoles(ctx, c) })
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: sweep %d of 8 side by side failed: %v", round, i, err)
			}
		}
	}
	var left int
	err := withConn(ctx, admin, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'dbl_learner_orphan%'").Scan(&left)
	})
	if err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d orphan roles outlived the sweeps", left)
	}
}
