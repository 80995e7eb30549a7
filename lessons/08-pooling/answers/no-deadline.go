//go:build ignore

// Wrong: both handlers use the pool and give every connection back, but
// borrow with the caller's context as it is. When every connection is
// busy, a request waits as long as its caller does: for ever, if the
// caller set no deadline.
//
//dblings:answer failed over=solution assertion="an exhausted pool times out" says="must not wait for ever"
package pooling

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	var p Profile
	var updated pgtype.Timestamptz
	err := db.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, err
	}
	return profile(p, updated)
}

func ChangeEmail(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error) {
	conn, err := db.Acquire(ctx)
	if err != nil {
		return Profile{}, err
	}
	defer conn.Release()
	tag, err := conn.Exec(ctx, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, id, email)
	if err != nil {
		return Profile{}, fmt.Errorf("change the e-mail of user %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return Profile{}, ErrNotFound
	}
	var p Profile
	err = conn.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &p.UpdatedAt)
	return p, err
}
