//go:build ignore

// Wrong: GetProfile reads with Query and a loop, and returns from inside the
// loop when the profile is damaged, without closing the rows. pgx closes
// rows by itself once Next returns false or Scan fails, but not when your
// code leaves the loop early: the rows stay open and keep their connection
// checked out for ever.
//
//dblings:answer failed over=solution assertion="failed requests give their connection back" says="left the rows open"
package pooling

import (
	"context"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	rows, err := db.Query(ctx, profileQuery, id)
	if err != nil {
		return Profile{}, err
	}
	found := false
	var p Profile
	for rows.Next() {
		var updated pgtype.Timestamptz
		if err := rows.Scan(&p.ID, &p.Name, &p.Email, &updated); err != nil {
			return Profile{}, err
		}
		if p, err = profile(p, updated); err != nil {
			return Profile{}, err
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return Profile{}, err
	}
	if !found {
		return Profile{}, ErrNotFound
	}
	return p, nil
}
