// Package softdeleteaudit is lesson 11: members who are never really
// deleted, and an audit trail that remembers every change to them.
package softdeleteaudit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Member is one row of members.
type Member struct {
	ID        int64
	Email     string
	Name      string
	Plan      string // free, pro or team
	CreatedAt time.Time
	DeletedAt *time.Time // nil while the member is live
}

var (
	// ErrNotFound: no such member, or not any more.
	ErrNotFound = errors.New("member not found")
	// ErrEmailTaken: a live member already has this e-mail.
	ErrEmailTaken = errors.New("e-mail taken by a live member")
)

// migration is the whole change, run as one transaction: either all of it
// is there afterwards, or none of it.
//
//   - deleted_at marks a deleted member; the row stays.
//   - The constraint members_email_key counted deleted rows too, so a
//     member who left could never sign up again. The partial index is
//     unique among the rows its WHERE keeps: the live ones. It also serves
//     the lookup by e-mail, which always asks for a live member.
//   - The trigger writes the audit for every change to members, however it
//     is made: through this file, from psql, by a migration. It runs in the
//     changing transaction, so a change and its entry commit or roll back
//     together. Who comes from app.actor, which withActor sets; a change
//     made without it is put on the database role. now() is the start of
//     the transaction, the moment the change belongs to.
//   - The application's role owns member_audit, and an owner holds every
//     right on its table until it gives some up: REVOKE ... FROM PUBLIC
//     would leave them. Revoking them from CURRENT_USER makes the audit
//     append-only for this role; inserting, which the trigger does, stays
//     allowed. (In production the table would belong to another role.)
const migration = `
ALTER TABLE members ADD COLUMN deleted_at timestamptz;

ALTER TABLE members DROP CONSTRAINT members_email_key;
CREATE UNIQUE INDEX members_live_email_key ON members (email) WHERE deleted_at IS NULL;

CREATE FUNCTION members_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO member_audit (member_id, action, changed_by, changed_at, old_row, new_row)
	VALUES (
		CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END,
		TG_OP,
		coalesce(nullif(current_setting('app.actor', true), ''), current_user),
		now(),
		CASE TG_OP WHEN 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
		CASE TG_OP WHEN 'DELETE' THEN NULL ELSE to_jsonb(NEW) END);
	RETURN NULL;
END
$$;
CREATE TRIGGER members_audit AFTER INSERT OR UPDATE OR DELETE ON members
	FOR EACH ROW EXECUTE FUNCTION members_audit();

REVOKE UPDATE, DELETE, TRUNCATE ON member_audit FROM CURRENT_USER;
`

// Migrate changes the schema. The check runs it once, on the fixture's
// data, before it calls anything else.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, migration)
		return err
	})
}

// withActor runs fn in one transaction in which the setting app.actor
// names who makes the change, for the audit: in SQL,
// current_setting('app.actor', true).
func withActor(ctx context.Context, db *pgxpool.Pool, actor string, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.actor', $1, true)`, actor); err != nil {
			return err
		}
		return fn(tx)
	})
}

// memberColumns are the columns a Member is read from.
const memberColumns = `id, email, name, plan, created_at, deleted_at`

func scanMember(row pgx.Row) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.Email, &m.Name, &m.Plan, &m.CreatedAt, &m.DeletedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	return m, err
}

// SignUp adds a member on the free plan. A live member with the same
// e-mail makes it fail with ErrEmailTaken. The unique index decides, not a
// SELECT beforehand: two sign-ups at the same moment would both find the
// e-mail free, while the index lets only one of them in.
func SignUp(ctx context.Context, db *pgxpool.Pool, actor, email, name string) (Member, error) {
	var m Member
	err := withActor(ctx, db, actor, func(tx pgx.Tx) error {
		var err error
		m, err = scanMember(tx.QueryRow(ctx,
			`INSERT INTO members (email, name) VALUES ($1, $2) RETURNING `+memberColumns, email, name))
		return err
	})
	if isUniqueViolation(err) {
		return Member{}, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	return m, err
}

// isUniqueViolation tells a unique index's refusal (SQLSTATE 23505).
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// ChangePlan moves a live member to another plan.
func ChangePlan(ctx context.Context, db *pgxpool.Pool, actor string, id int64, plan string) error {
	return update(ctx, db, actor, `UPDATE members SET plan = $2 WHERE id = $1 AND deleted_at IS NULL`, id, plan)
}

// Rename changes a live member's name.
func Rename(ctx context.Context, db *pgxpool.Pool, actor string, id int64, name string) error {
	return update(ctx, db, actor, `UPDATE members SET name = $2 WHERE id = $1 AND deleted_at IS NULL`, id, name)
}

// update runs one UPDATE of a live member; the trigger audits it.
func update(ctx context.Context, db *pgxpool.Pool, actor string, sql string, args ...any) error {
	return withActor(ctx, db, actor, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() == 0 {
			err = ErrNotFound
		}
		return err
	})
}

// Delete marks a live member deleted. The row stays: support can restore
// it, the audit's history still points at it, and every read path skips
// it.
func Delete(ctx context.Context, db *pgxpool.Pool, actor string, id int64) error {
	return update(ctx, db, actor, `UPDATE members SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, id)
}

// Get returns a live member.
func Get(ctx context.Context, db *pgxpool.Pool, id int64) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE id = $1 AND deleted_at IS NULL`, id))
}

// FindByEmail returns the live member with this e-mail. Its WHERE matches
// the partial index's, so the index serves it.
func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE email = $1 AND deleted_at IS NULL`, email))
}

// ListByPlan returns the live members on a plan, by id.
func ListByPlan(ctx context.Context, db *pgxpool.Pool, plan string) ([]Member, error) {
	rows, err := db.Query(ctx, `SELECT `+memberColumns+` FROM members WHERE plan = $1 AND deleted_at IS NULL ORDER BY id`, plan)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) { return scanMember(row) })
}

// asOf finds the last change made to the member at or before $2 and reads
// the row it left. "At or before": a change made at exactly t is part of
// the state at t. Changes of one transaction share their time, so the
// entry's id orders them. A last change that erased the row left no new
// row, and the member did not exist at t.
const asOf = `SELECT m.id, m.email, m.name, m.plan, m.created_at, m.deleted_at
FROM (SELECT new_row FROM member_audit
      WHERE member_id = $1 AND changed_at <= $2
      ORDER BY changed_at DESC, id DESC
      LIMIT 1) last
CROSS JOIN LATERAL jsonb_populate_record(NULL::members, last.new_row) m
WHERE last.new_row IS NOT NULL`

// AsOf returns member id's row as it was at time t: the state left by
// the changes made at or before t, deleted_at included (a member deleted
// by then comes back with DeletedAt set). It returns ErrNotFound when
// the row did not exist at t: not signed up yet, or erased for good.
func AsOf(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (Member, error) {
	return scanMember(db.QueryRow(ctx, asOf, id, t))
}
