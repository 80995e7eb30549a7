package backuprestore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/witness"
)

// The incident, played by the witness on the check's database before the
// check runs: a nightly base backup, a day of orders, an hourly backup,
// the busy minutes before the mistake, the mistake (DROP TABLE customers
// CASCADE), the orders the shop kept taking afterwards, and the backup job
// that ran after it all. Every write is committed by the superuser, so the
// learner's code finds the incident as a real shop would: in the data, in
// the DDL log an event trigger keeps, and in the vault's list of backups.

// Backup names, oldest first. Their names do not say which came before
// the mistake: the learner's code must compare times.
var backupNames = [...]string{"nightly", "hourly", "hourly-2"}

// busyGap is the time between the transactions of the busy minutes before
// the mistake, and busySteps how many there are: the last second before
// the DROP holds several commits, so a restore that keeps a second's
// safety margin loses orders. They last longer than a second, so that
// such a target falls after the hourly backup however fast the machine:
// at 8 commits 90 ms apart, a quick machine played the whole incident in
// under a second, and the margin reached back before every backup.
const (
	busyGap   = 150 * time.Millisecond
	busySteps = 10
)

// ddlLog is the audit schema the scene installs: a log of every DROP, kept
// by an event trigger whose function runs as its owner, the superuser.
// The learner's role may read the log and nothing else in the schema.
const ddlLog = `
CREATE SCHEMA audit;
CREATE TABLE audit.ddl_log (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at      timestamptz NOT NULL,
	command text NOT NULL,
	objects text NOT NULL
);
CREATE FUNCTION audit.log_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, audit AS $$
BEGIN
	INSERT INTO audit.ddl_log (at, command, objects)
	SELECT clock_timestamp(), tg_tag, string_agg(object_identity, ', ')
	FROM pg_event_trigger_dropped_objects() WHERE object_type = 'table'
	HAVING count(*) > 0;
END $$;
CREATE EVENT TRIGGER log_drops ON sql_drop EXECUTE FUNCTION audit.log_drop();`

// truth is what the shop held the moment before the mistake, and what
// came after it: the witness's record, never shown to the check.
type truth struct {
	droppedAt time.Time
	customers digest
	orders    digest
	// lost are the orders placed after the mistake: a restore to just
	// before it lacks them.
	lost []int64
}

// digest summarises a table: its row count and an md5 of its rows in key
// order, as text.
type digest struct {
	rows int64
	md5  string
}

// playIncident plays the incident on the check's database (conn is the
// superuser's) and returns its truth.
func playIncident(ctx context.Context, conn *pgx.Conn, s *witness.Scene, rng *rand.Rand) (truth, error) {
	var t truth
	steps := []struct {
		what string
		do   func() error
	}{
		{"install the DDL log", func() error { return installLog(ctx, conn, s.Role) }},
		{"take the nightly backup", func() error { return s.Vault.TakeBackup(ctx, backupNames[0]) }},
		{"place the day's orders", func() error { return trade(ctx, conn, rng, 4, 0) }},
		{"take the hourly backup", func() error { return s.Vault.TakeBackup(ctx, backupNames[1]) }},
		{"place the busy minutes' orders", func() error { return trade(ctx, conn, rng, busySteps, busyGap) }},
		{"read the shop before the mistake", func() (err error) { t.customers, t.orders, err = digests(ctx, conn); return err }},
		{"drop the customers table", func() error { return dropCustomers(ctx, conn, &t) }},
		{"place orders after the mistake", func() error { return orderAfter(ctx, conn, rng, &t) }},
		{"take the backup after the mistake", func() error { return s.Vault.TakeBackup(ctx, backupNames[2]) }},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			return truth{}, fmt.Errorf("%s: %w", step.what, err)
		}
	}
	return t, nil
}

func installLog(ctx context.Context, conn *pgx.Conn, role string) error {
	if _, err := conn.Exec(ctx, ddlLog); err != nil {
		return err
	}
	r := pgx.Identifier{role}.Sanitize()
	_, err := conn.Exec(ctx, fmt.Sprintf("GRANT USAGE ON SCHEMA audit TO %s; GRANT SELECT ON audit.ddl_log TO %s", r, r))
	return err
}

// trade commits steps transactions, gap apart: each signs up a customer or
// two, changes one customer's e-mail and places a few orders, some by the
// new customers.
func trade(ctx context.Context, conn *pgx.Conn, rng *rand.Rand, steps int, gap time.Duration) error {
	for i := range steps {
		if i > 0 {
			time.Sleep(gap)
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			batch := fmt.Sprintf(`
WITH new AS (
	INSERT INTO customers (id, name, email)
	SELECT m + g, 'New customer ' || (m + g), 'new.' || (m + g) || '@example.com'
	FROM (SELECT max(id) AS m FROM customers) x, generate_series(1, %d) g
	RETURNING id)
INSERT INTO orders (customer_id, total)
SELECT CASE WHEN g %% 2 = 0 THEN (SELECT max(id) FROM new) ELSE 1 + (g * %d) %% (SELECT count(*) FROM customers) END,
	round((2.5 + (g * %d) %% 7750 / 100.0)::numeric, 2)
FROM generate_series(1, %d) g;
UPDATE customers SET email = 'changed.' || id || '.%d@example.com' WHERE id = 1 + %d %% (SELECT count(*) FROM customers);`,
				1+rng.IntN(2), 1+rng.IntN(97), 1+rng.IntN(5000), 2+rng.IntN(4), rng.IntN(1000), rng.IntN(1_000_000))
			_, err := tx.Exec(ctx, batch)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func digests(ctx context.Context, conn *pgx.Conn) (customers, orders digest, err error) {
	if customers, err = digestOf(ctx, conn, "customers"); err != nil {
		return
	}
	orders, err = digestOf(ctx, conn, "orders")
	return
}

// digestOf reads a table's digest; a missing table is no error: a zero
// digest that matches no real one.
func digestOf(ctx context.Context, conn *pgx.Conn, table string) (digest, error) {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", "public."+table).Scan(&exists); err != nil || !exists {
		return digest{}, err
	}
	var d digest
	err := conn.QueryRow(ctx, fmt.Sprintf(
		`SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM public.%s t`, table)).Scan(&d.rows, &d.md5)
	return d, err
}

// dropCustomers is the mistake: a migration meant for a staging database.
// A short pause first keeps every earlier commit clearly before it.
func dropCustomers(ctx context.Context, conn *pgx.Conn, t *truth) error {
	time.Sleep(30 * time.Millisecond)
	if _, err := conn.Exec(ctx, "DROP TABLE customers CASCADE"); err != nil {
		return err
	}
	return conn.QueryRow(ctx, `SELECT at FROM audit.ddl_log WHERE objects = 'public.customers' ORDER BY id DESC LIMIT 1`).Scan(&t.droppedAt)
}

// orderAfter places the orders that came in after the mistake, in two
// transactions: the shop's front end kept working on its orders table.
func orderAfter(ctx context.Context, conn *pgx.Conn, rng *rand.Rand, t *truth) error {
	for range 2 {
		rows, err := conn.Query(ctx, `INSERT INTO orders (customer_id, total)
SELECT 1 + (g * $1::int) % 1000, 9.90 FROM generate_series(1, $2::int) g RETURNING id`, 1+rng.IntN(97), 1+rng.IntN(4))
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		t.lost = append(t.lost, ids...)
	}
	return nil
}
