// Package onlinemigration is lesson 16: payments.amount, a numeric in
// euros, becomes payments.amount_cents, a bigint of cents, while the
// application keeps reading and writing payments.
package onlinemigration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// App is a version of the application, which the check runs as traffic
// while your steps run. Deploying one is a step of its own (Step.Deploy):
// the check switches every request to it once the requests of the version
// before have ended.
type App int

// The versions you can deploy. The application runs the first one,
// reading and writing amount only, until you deploy another.
const (
	// WritesAmount reads and writes amount only: what runs today.
	WritesAmount App = iota
	// WritesBoth reads amount and writes amount and amount_cents: the
	// application's side of a dual write.
	WritesBoth
	// UsesCents reads and writes amount_cents only: the switch.
	UsesCents
)

// Step is one step of the migration: SQL work on the database (Run), or,
// when Run is nil, a deploy of the application (Deploy).
type Step struct {
	Name   string
	Run    func(ctx context.Context, db *pgxpool.Pool) error
	Deploy App
}

// Migration is expand and contract: every step leaves a schema that the
// version of the application running at that moment works with, and no
// step holds a lock that requests queue behind for more than a moment.
func Migration() []Step {
	return []Step{
		{Name: "expand", Run: expand},
		{Name: "backfill", Run: backfill},
		{Name: "index", Run: index},
		{Name: "switch to cents", Deploy: UsesCents},
		{Name: "contract", Run: contract},
	}
}

// expand adds amount_cents, nullable and without a default, which is a
// change of the catalog only (no rewrite), and a trigger that keeps it in
// step with every write of amount from now on: the dual write. The
// trigger fires on writes of amount only, so that once the application
// writes amount_cents itself, nothing overwrites it.
func expand(ctx context.Context, db *pgxpool.Pool) error {
	return ddl(ctx, db,
		`ALTER TABLE payments ADD COLUMN amount_cents bigint`,
		`CREATE FUNCTION payments_amount_cents() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			NEW.amount_cents := (NEW.amount * 100)::bigint;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER payments_amount_cents BEFORE INSERT OR UPDATE OF amount ON payments
		FOR EACH ROW EXECUTE FUNCTION payments_amount_cents()`)
}

// batchRows bounds how many rows one backfill transaction updates, hence
// how long a write of the application can wait for one of their row locks.
const batchRows = 2500

// backfill fills amount_cents for the rows written before the trigger, a
// range of ids per transaction. Rows the trigger already filled are left
// alone (amount_cents IS NULL), and a row the application is updating at
// the same moment is waited for and then skipped.
func backfill(ctx context.Context, db *pgxpool.Pool) error {
	var maxID int64
	if err := db.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM payments`).Scan(&maxID); err != nil {
		return err
	}
	for from := int64(0); from < maxID; from += batchRows {
		_, err := db.Exec(ctx, `UPDATE payments SET amount_cents = (amount * 100)::bigint
			WHERE id > $1 AND id <= $2 AND amount_cents IS NULL`, from, from+batchRows)
		if err != nil {
			return fmt.Errorf("backfill ids %d to %d: %w", from+1, from+batchRows, err)
		}
	}
	return nil
}

// index builds the index without blocking writes. CONCURRENTLY cannot run
// in a transaction; if it fails it leaves an invalid index behind, which
// the next attempt drops first.
func index(ctx context.Context, db *pgxpool.Pool) error {
	if _, err := db.Exec(ctx, `DROP INDEX CONCURRENTLY IF EXISTS payments_amount_cents_idx`); err != nil {
		return err
	}
	_, err := db.Exec(ctx, `CREATE INDEX CONCURRENTLY payments_amount_cents_idx ON payments (amount_cents)`)
	return err
}

// contract makes amount_cents NOT NULL without a scan under a strong lock,
// then drops what the old version needed. A CHECK added NOT VALID is
// checked by VALIDATE, which scans the table under a lock that lets reads
// and writes through; SET NOT NULL then trusts the validated constraint
// instead of scanning again (Postgres 12 and later).
func contract(ctx context.Context, db *pgxpool.Pool) error {
	steps := [][]string{
		{`ALTER TABLE payments ADD CONSTRAINT payments_amount_cents_not_null CHECK (amount_cents IS NOT NULL) NOT VALID`},
		{`ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_cents_not_null`},
		{`ALTER TABLE payments ALTER COLUMN amount_cents SET NOT NULL`,
			`ALTER TABLE payments DROP CONSTRAINT payments_amount_cents_not_null`},
		{`DROP TRIGGER payments_amount_cents ON payments`,
			`DROP FUNCTION payments_amount_cents()`,
			`ALTER TABLE payments DROP COLUMN amount`},
	}
	for _, stmts := range steps {
		if err := ddl(ctx, db, stmts...); err != nil {
			return err
		}
	}
	return nil
}

// Lock timeouts: a statement that needs a strong lock gives up after
// lockWait rather than queue (and make every request queue behind it),
// and tries again after a pause that grows to maxPause.
const (
	lockWait = 50 * time.Millisecond
	maxPause = 100 * time.Millisecond
	attempts = 100
)

// ddl runs stmts in one transaction with a short lock_timeout, and again
// from the start after a pause whenever a lock was not granted in time.
func ddl(ctx context.Context, db *pgxpool.Pool, stmts ...string) error {
	pause := 20 * time.Millisecond
	for try := 1; ; try++ {
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = '%dms'", lockWait.Milliseconds())); err != nil {
				return err
			}
			for _, s := range stmts {
				if _, err := tx.Exec(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55P03" || try == attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, maxPause)
	}
}
