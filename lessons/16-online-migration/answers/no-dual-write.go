//go:build ignore

// Wrong: expand adds the column and nothing keeps it in step: no trigger,
// and the application goes on writing amount only until the switch. A
// payment the application writes after the backfill passed it keeps the
// old amount in amount_cents.
//
//dblings:answer failed over=solution assertion="every row's amount_cents is right" says="written by the application during the migration"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

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
