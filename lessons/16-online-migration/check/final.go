package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/fixtures"
)

// schemaQuery reads what the final schema must show, from the catalog:
// whether amount is gone, amount_cents' type, whether it can be NULL (a
// NOT NULL column, or a validated CHECK (amount_cents IS NOT NULL)), the
// valid indexes that lead with amount_cents, and the indexes left invalid
// by a CREATE INDEX CONCURRENTLY that failed.
const schemaQuery = `
SELECT
	EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'payments'::regclass AND attname = 'amount' AND NOT attisdropped),
	coalesce((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	          WHERE attrelid = 'payments'::regclass AND attname = 'amount_cents' AND NOT attisdropped), ''),
	coalesce((SELECT attnotnull FROM pg_attribute
	          WHERE attrelid = 'payments'::regclass AND attname = 'amount_cents' AND NOT attisdropped), false)
	OR EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'payments'::regclass AND contype = 'c' AND convalidated
	           AND pg_get_constraintdef(oid) = 'CHECK ((amount_cents IS NOT NULL))'),
	(SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
	 WHERE i.indrelid = 'payments'::regclass AND a.attname = 'amount_cents' AND i.indisvalid AND i.indisready
	   AND i.indpred IS NULL),
	(SELECT coalesce(string_agg(indexrelid::regclass::text, ', '), '') FROM pg_index
	 WHERE indrelid = 'payments'::regclass AND NOT (indisvalid AND indisready))`

// assertSchema holds the table to the end of the migration: amount gone,
// amount_cents a bigint that cannot be NULL, a valid index on it.
func assertSchema(c *checker.Check, ctx context.Context) {
	var amountLeft, notNull bool
	var typ, invalid string
	var indexes int64
	err := c.Admin().QueryRow(ctx, schemaQuery).Scan(&amountLeft, &typ, &notNull, &indexes, &invalid)
	c.RequireNoError("read the schema of payments", err)
	var wrong []string
	if amountLeft {
		wrong = append(wrong, "the old column amount is still there: the contract drops it")
	}
	switch {
	case typ == "":
		wrong = append(wrong, "there is no column amount_cents")
	case typ != "bigint":
		wrong = append(wrong, "amount_cents is a "+typ+", not a bigint")
	}
	if typ != "" && !notNull {
		wrong = append(wrong, "amount_cents can still be NULL: end with SET NOT NULL, "+
			"or a validated CHECK (amount_cents IS NOT NULL)")
	}
	if typ != "" && indexes == 0 {
		wrong = append(wrong, "no valid index leads with amount_cents")
	}
	if invalid != "" {
		wrong = append(wrong, "an invalid index is left behind ("+invalid+"), from a CREATE INDEX CONCURRENTLY that failed: drop it and build it again")
	}
	msg := "payments has amount_cents bigint, never NULL, with a valid index, and no amount"
	if len(wrong) > 0 {
		msg = strings.Join(wrong, "; ")
	}
	c.Assert(nameSchema, len(wrong) == 0, msg, checker.Evidence{Details: map[string]any{
		"amount_left": amountLeft, "amount_cents_type": typ, "never_null": notNull, "valid_indexes": indexes, "invalid_indexes": invalid}})
}

// assertData reads every payment's amount_cents and compares it with what
// it must hold: the amount the payment had before the migration, in cents,
// or the last amount the application wrote to it.
func assertData(c *checker.Check, ctx context.Context, f facts, res result) {
	rows, err := c.Admin().Query(ctx, `SELECT id, amount_cents FROM payments ORDER BY id`)
	if err != nil {
		c.Assert(nameData, false, "could not read amount_cents: "+checker.FirstLine(err.Error(), "no column"), checker.Evidence{})
		return
	}
	var seen, wrongs, nulls, traffic int64
	var examples []string
	var id int64
	var got *int64
	for rows.Next() {
		if err := rows.Scan(&id, &got); err != nil {
			rows.Close()
			c.RequireNoError("read amount_cents", err)
		}
		seen++
		want, written := res.written[id]
		if !written {
			want = fixtures.PaymentCents(id, c.Seed())
		}
		switch {
		case got == nil:
			nulls++
		case *got != want:
			wrongs++
			if written {
				traffic++
			}
		default:
			continue
		}
		if len(examples) < 3 {
			examples = append(examples, describeRow(id, got, want, written))
		}
	}
	c.RequireNoError("read amount_cents", rows.Err())
	ok := seen == f.rows && wrongs == 0 && nulls == 0
	msg := fmt.Sprintf("all %s payments hold the right amount_cents, %s of them written by the application during the migration",
		checker.FormatCount(seen), checker.FormatCount(int64(len(res.written))))
	switch {
	case seen != f.rows:
		msg = fmt.Sprintf("payments has %s rows, it had %s: a migration changes columns, not rows",
			checker.FormatCount(seen), checker.FormatCount(f.rows))
	case !ok:
		msg = fmt.Sprintf("%s payments hold a wrong amount_cents (%s of them written by the application during the migration) "+
			"and %s hold NULL; for example %s", checker.FormatCount(wrongs), checker.FormatCount(traffic),
			checker.FormatCount(nulls), strings.Join(examples, "; "))
		if traffic > 0 {
			msg += ". Writes that land after the backfill passed a row are lost unless something keeps amount_cents in step " +
				"from the start: a trigger, or a version of the application that writes both"
		}
	}
	c.Assert(nameData, ok, msg, checker.Evidence{Counts: map[string]int64{
		"rows": seen, "wrong": wrongs, "null": nulls, "wrong_written_by_traffic": traffic}})
}

func describeRow(id int64, got *int64, want int64, written bool) string {
	by := "before the migration"
	if written {
		by = "as the application last wrote it"
	}
	if got == nil {
		return fmt.Sprintf("payment %d has NULL, it must hold %d (%s)", id, want, by)
	}
	return fmt.Sprintf("payment %d has %d, it must hold %d (%s)", id, *got, want, by)
}
