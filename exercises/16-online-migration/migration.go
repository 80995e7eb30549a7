// Package onlinemigration is lesson 16: payments.amount, a numeric in
// euros, becomes payments.amount_cents, a bigint of cents, while the
// application keeps reading and writing payments.
package onlinemigration

import (
	"context"

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

// Migration lists the steps; the check runs them in order while the
// application serves its traffic, and starts a report (a transaction that
// reads payments for a while) as each Run step begins.
//
// TODO: this migration is right on an idle database and stops the
// application on a live one: the first transaction holds the whole table
// while it updates every row, and every request waits. Split it into
// expand, dual-write, batched backfill, CREATE INDEX CONCURRENTLY, the
// switch and the contract, and give every statement that needs a strong
// lock a short lock_timeout and a retry. Run `dblings hint
// online-migration` if you are stuck.
func Migration() []Step {
	return []Step{
		{Name: "migrate", Run: migrate},
		{Name: "deploy the version that uses cents", Deploy: UsesCents},
		{Name: "drop amount", Run: dropAmount},
	}
}

// migrate adds amount_cents, fills it and indexes it, in one transaction.
func migrate(ctx context.Context, db *pgxpool.Pool) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	for _, stmt := range []string{
		`ALTER TABLE payments ADD COLUMN amount_cents bigint NOT NULL DEFAULT 0`,
		`UPDATE payments SET amount_cents = amount * 100`,
		`CREATE INDEX payments_amount_cents_idx ON payments (amount_cents)`,
	} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// dropAmount drops the old column.
func dropAmount(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `ALTER TABLE payments DROP COLUMN amount`)
	return err
}
