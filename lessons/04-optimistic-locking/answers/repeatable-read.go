//go:build ignore

// Right: a REPEATABLE READ transaction per attempt. Postgres itself detects
// the concurrent update and fails the loser with a serialization error
// (40001), which is retried.
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
