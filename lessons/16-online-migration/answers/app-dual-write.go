//go:build ignore

// Right: the dual write is the application's, not a trigger's. Expand
// adds the column only; a deploy of WritesBoth makes every write fill
// amount_cents from then on, and the backfill, which starts after that
// deploy has completed, fills the rest. No trigger to drop in the
// contract.
//
//dblings:answer passed over=solution
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migration() []Step {
	return []Step{
		{Name: "expand", Run: expand},
		{Name: "write both columns", Deploy: WritesBoth},
		{Name: "backfill", Run: backfill},
		{Name: "index", Run: index},
		{Name: "switch to cents", Deploy: UsesCents},
		{Name: "contract", Run: contract},
	}
}

func expand(ctx context.Context, db *pgxpool.Pool) error {
	return ddl(ctx, db, `ALTER TABLE payments ADD COLUMN amount_cents bigint`)
}

func contract(ctx context.Context, db *pgxpool.Pool) error {
	steps := [][]string{
		{`ALTER TABLE payments ADD CONSTRAINT payments_amount_cents_not_null CHECK (amount_cents IS NOT NULL) NOT VALID`},
		{`ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_cents_not_null`},
		{`ALTER TABLE payments ALTER COLUMN amount_cents SET NOT NULL`,
			`ALTER TABLE payments DROP CONSTRAINT payments_amount_cents_not_null`},
		{`ALTER TABLE payments DROP COLUMN amount`},
	}
	for _, stmts := range steps {
		if err := ddl(ctx, db, stmts...); err != nil {
			return err
		}
	}
	return nil
}
