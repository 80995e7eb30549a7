//go:build ignore

// Wrong: the right unique index, on lower(email), but ON CONFLICT (email)
// names a target no unique index has. Postgres refuses the statement
// (SQLSTATE 42P10) before it inserts anything: no one can sign up.
//
//dblings:answer failed over=solution assertion="sign-up creates an account" says="ON CONFLICT names its target"
package indextypes

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func SignUp(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO users (email, name) VALUES ($1, $2)
ON CONFLICT (email) DO NOTHING RETURNING id`, email, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	return id, err
}
