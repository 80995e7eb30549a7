//go:build ignore

// Wrong: ChangeEmail borrows with a deadline and releases on the paths that
// succeed or find no user, but the branch where the UPDATE fails returns
// before Release. Every e-mail the unique index refuses costs the pool a
// connection.
//
//dblings:answer failed over=solution assertion="failed requests give their connection back" says="the unique index refuses it"
package pooling

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

func ChangeEmail(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	conn, err := db.Acquire(ctx)
	if err != nil {
		return Profile{}, err
	}
	tag, err := conn.Exec(ctx, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, id, email)
	if err != nil {
		return Profile{}, fmt.Errorf("change the e-mail of user %d: %w", id, err)
	}
	defer conn.Release()
	if tag.RowsAffected() == 0 {
		return Profile{}, ErrNotFound
	}
	var p Profile
	err = conn.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &p.UpdatedAt)
	return p, err
}
