//go:build ignore

// Wrong: the solution, plus a package-level counter of sign-ups for a
// metrics page, incremented with no lock. Sign-ups run in many goroutines
// at once, so increments get lost; the race detector says so every time.
//
//dblings:answer failed over=solution assertion="no data race" says="a data race: two goroutines"
package softdeleteaudit

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// signups counts the sign-ups since the process started, for the metrics page.
var signups int

func SignUp(ctx context.Context, db *pgxpool.Pool, actor, email, name string) (Member, error) {
	signups++
	var m Member
	err := withActor(ctx, db, actor, func(tx pgx.Tx) error {
		var err error
		m, err = scanMember(tx.QueryRow(ctx,
			`INSERT INTO members (email, name) VALUES ($1, $2) RETURNING `+memberColumns, email, name))
		return err
	})
	if isUniqueViolation(err) {
		return Member{}, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	return m, err
}
