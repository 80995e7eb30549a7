//go:build ignore

// Right, differently: the backfill walks the primary key in batches of
// LIMIT rows (a keyset: the batch's last id, read first, bounds it, so no
// batch is empty or too big however the ids are spread), with a pause
// between batches to leave the server room; the trigger compares old and new
// amounts instead of naming the column; and the contract keeps the
// validated CHECK (amount_cents IS NOT NULL) as the guarantee instead of
// turning it into SET NOT NULL. Retries are a plain loop with a fixed
// pause.
//
//dblings:answer passed over=solution
package onlinemigration

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

func expand(ctx context.Context, db *pgxpool.Pool) error {
	return ddl(ctx, db,
		`ALTER TABLE payments ADD COLUMN amount_cents bigint`,
		`CREATE FUNCTION payments_amount_cents() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF TG_OP = 'INSERT' OR NEW.amount IS DISTINCT FROM OLD.amount THEN
				NEW.amount_cents := (NEW.amount * 100)::bigint;
			END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER payments_amount_cents BEFORE INSERT OR UPDATE ON payments
		FOR EACH ROW EXECUTE FUNCTION payments_amount_cents()`)
}

func backfill(ctx context.Context, db *pgxpool.Pool) error {
	var last int64
	for {
		var next *int64
		err := db.QueryRow(ctx, `SELECT max(id) FROM (SELECT id FROM payments WHERE id > $1 ORDER BY id LIMIT 2000) AS batch`, last).Scan(&next)
		if err != nil || next == nil {
			return err
		}
		if _, err := db.Exec(ctx, `UPDATE payments SET amount_cents = (amount * 100)::bigint
			WHERE id > $1 AND id <= $2 AND amount_cents IS NULL`, last, *next); err != nil {
			return err
		}
		last = *next
		time.Sleep(time.Millisecond)
	}
}

func contract(ctx context.Context, db *pgxpool.Pool) error {
	for _, s := range []string{
		`ALTER TABLE payments ADD CONSTRAINT payments_amount_cents_present CHECK (amount_cents IS NOT NULL) NOT VALID`,
		`ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_cents_present`,
		`DROP TRIGGER payments_amount_cents ON payments`,
		`DROP FUNCTION payments_amount_cents()`,
		`ALTER TABLE payments DROP COLUMN amount`,
	} {
		if err := ddl(ctx, db, s); err != nil {
			return err
		}
	}
	return nil
}

func ddl(ctx context.Context, db *pgxpool.Pool, stmts ...string) error {
	for try := 0; try < 200; try++ {
		conn, err := db.Acquire(ctx)
		if err != nil {
			return err
		}
		err = func() error {
			defer conn.Exec(context.WithoutCancel(ctx), `RESET lock_timeout`)
			if _, err := conn.Exec(ctx, `SET lock_timeout = '100ms'`); err != nil {
				return err
			}
			return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
				for _, s := range stmts {
					if _, err := tx.Exec(ctx, s); err != nil {
						return err
					}
				}
				return nil
			})
		}()
		conn.Release()
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "55P03" {
			return err
		}
		time.Sleep(30 * time.Millisecond)
	}
	return errors.New("gave up waiting for a lock")
}
