//go:build ignore

// Right: a pool at the top of the budget with idle connections kept warm
// and lifetimes jittered so they do not all expire at once; GetProfile
// collects exactly one row (CollectExactlyOneRow closes the rows on every
// path, and a deferred Close covers the rest); ChangeEmail runs in a
// transaction, which BeginFunc commits or rolls back and so always hands
// the connection back.
//
//dblings:answer passed over=solution
package pooling

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

func NewPool(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	cfg.MaxConns = Budget
	cfg.MinConns = 4
	cfg.MinIdleConns = 2
	cfg.MaxConnLifetime = time.Hour
	cfg.MaxConnLifetimeJitter = 5 * time.Minute
	cfg.MaxConnIdleTime = 30 * time.Second
	return pgxpool.NewWithConfig(ctx, cfg)
}

func GetProfile(ctx context.Context, db *pgxpool.Pool, id int64) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	rows, err := db.Query(ctx, profileQuery, id)
	if err != nil {
		return Profile{}, err
	}
	defer rows.Close()
	type row struct {
		ID          int64
		Name, Email string
		Updated     pgtype.Timestamptz
	}
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[row])
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, err
	}
	return profile(Profile{ID: r.ID, Name: r.Name, Email: r.Email}, r.Updated)
}

func ChangeEmail(ctx context.Context, db *pgxpool.Pool, id int64, email string) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	var p Profile
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, id, email)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return tx.QueryRow(ctx, profileQuery, id).Scan(&p.ID, &p.Name, &p.Email, &p.UpdatedAt)
	})
	return p, err
}
