//go:build ignore

// Wrong: the solution's indexes, and a lookup by email = $1. It is fast
// (users_email_idx serves it), but it compares the text as typed, so an
// e-mail typed in another case finds no account.
//
//dblings:answer failed over=solution assertion="lookup finds the account whatever the case" says="compare lower(email) with lower($1)"
package indextypes

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}
