//go:build ignore

// Right: SERIALIZABLE and no lock, in the order of the request: Postgres
// aborts a transfer that lost a conflict (40001) or a deadlock (40P01), and
// Transfer runs it again, at most 20 times, after a random pause that
// doubles with each attempt (up to 64 ms): retried at once, the same
// transfers collide again, and under load one lost 20 times in a row in
// CI. The report opens its
// REPEATABLE READ transaction by hand, with a deferred Rollback, and reads
// every page through it.
//
//dblings:answer passed over=solution
package transactions

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

const maxAttempts = 20

func Transfer(ctx context.Context, db *pgxpool.Pool, from, to, amount int64) error {
	var err error
	for attempt := range maxAttempts {
		if attempt > 0 {
			time.Sleep(time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6))))
		}
		err = pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
			var balance int64
			if err := tx.QueryRow(ctx, `SELECT balance FROM accounts WHERE id = $1`, from).Scan(&balance); err != nil {
				return err
			}
			if balance < amount {
				return ErrInsufficientFunds
			}
			if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance - $2 WHERE id = $1`, from, amount); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, to, amount)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "40001" && pgErr.Code != "40P01") {
			return err
		}
	}
	return fmt.Errorf("transfer from %d to %d: gave up after %d attempts: %w", from, to, maxAttempts, err)
}

func TakeReport(ctx context.Context, db *pgxpool.Pool) (Report, error) {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return Report{}, err
	}
	defer tx.Rollback(ctx)
	r := Report{Balances: map[int64]int64{}}
	var after int64
	for {
		rows, err := tx.Query(ctx, `SELECT id, balance FROM accounts WHERE id > $1 ORDER BY id LIMIT $2`, after, pageSize)
		if err != nil {
			return Report{}, err
		}
		var id, balance int64
		n, err := forEach(rows, &id, &balance, func() {
			r.Balances[id] = balance
			r.Total += balance
			after = id
		})
		if err != nil {
			return Report{}, err
		}
		if n < pageSize {
			return r, tx.Commit(ctx)
		}
	}
}
