//go:build ignore

// Wrong: the trigger fires on every UPDATE, not on updates of amount.
// After the switch the application writes amount_cents alone, and the
// trigger puts back the cents of the old amount over it until the
// contract drops it.
//
//dblings:answer failed over=solution assertion="no failed request" says="but the application last wrote"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func expand(ctx context.Context, db *pgxpool.Pool) error {
	return ddl(ctx, db,
		`ALTER TABLE payments ADD COLUMN amount_cents bigint`,
		`CREATE FUNCTION payments_amount_cents() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			NEW.amount_cents := (NEW.amount * 100)::bigint;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER payments_amount_cents BEFORE INSERT OR UPDATE ON payments
		FOR EACH ROW EXECUTE FUNCTION payments_amount_cents()`)
}
