//go:build ignore

// TODO explain.
//
//dblings:answer passed over=solution
package optimisticlocking

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// casWrite writes a if the version is still the one read, bumping it.
func casWrite(ctx context.Context, db *pgxpool.Pool, a Account, version int64) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1
WHERE id = $1 AND version = $4`, a.ID, a.Owner, a.Balance, version)
	return tag.RowsAffected() == 1, err
}

func Update(ctx context.Context, db *pgxpool.Pool, id int64, maxAttempts int, change func(*Account) error) error {
	for range maxAttempts {
		err := pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
			var a Account
			err := tx.QueryRow(ctx, `SELECT id, owner, balance, version FROM accounts WHERE id = $1`, id).
				Scan(&a.ID, &a.Owner, &a.Balance, &a.Version)
			if err != nil {
				return err
			}
			if err := change(&a); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE accounts SET owner = $2, balance = $3, version = version + 1 WHERE id = $1`, a.ID, a.Owner, a.Balance)
			return err
		})
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "40001" {
			continue
		}
		return err
	}
	return fmt.Errorf("account %d: %w", id, ErrConflict)
}
