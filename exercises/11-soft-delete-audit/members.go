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

// Migrate changes the schema. The check runs it once, on the fixture's
// data, before it calls anything else.
//
// TODO: members are deleted for real, their e-mail is unique over every
// row, and the audit is written by this file's functions, so any change
// made elsewhere escapes it. Here, in SQL:
//   - add members.deleted_at (timestamptz, NULL while the member is live);
//   - make the e-mail unique among live members only;
//   - write member_audit from a trigger on members, for every INSERT,
//     UPDATE and DELETE: who (the setting app.actor that withActor sets),
//     when, the old row and the new row, each as to_jsonb of the row;
//   - make member_audit append-only for the role your code runs as.
//
// Run `dblings hint soft-delete-audit` if you are stuck.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
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
const memberColumns = `id, email, name, plan, created_at`

func scanMember(row pgx.Row) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.Email, &m.Name, &m.Plan, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	return m, err
}

// SignUp adds a member on the free plan. A live member with the same
// e-mail makes it fail with ErrEmailTaken.
func SignUp(ctx context.Context, db *pgxpool.Pool, actor, email, name string) (Member, error) {
	var m Member
	err := withActor(ctx, db, actor, func(tx pgx.Tx) error {
		var err error
		m, err = scanMember(tx.QueryRow(ctx,
			`INSERT INTO members (email, name) VALUES ($1, $2) RETURNING `+memberColumns, email, name))
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, m.ID, "INSERT", actor, nil)
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

// ChangePlan moves a member to another plan.
func ChangePlan(ctx context.Context, db *pgxpool.Pool, actor string, id int64, plan string) error {
	return update(ctx, db, actor, id, `UPDATE members SET plan = $2 WHERE id = $1`, plan)
}

// Rename changes a member's name.
func Rename(ctx context.Context, db *pgxpool.Pool, actor string, id int64, name string) error {
	return update(ctx, db, actor, id, `UPDATE members SET name = $2 WHERE id = $1`, name)
}

func update(ctx context.Context, db *pgxpool.Pool, actor string, id int64, sql string, value string) error {
	return withActor(ctx, db, actor, func(tx pgx.Tx) error {
		old, err := rowImage(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sql, id, value); err != nil {
			return err
		}
		return writeAudit(ctx, tx, id, "UPDATE", actor, old)
	})
}

// Delete removes a member.
//
// TODO: a DELETE loses the row for good; support cannot restore it, and
// the e-mail's history is gone with it. Keep the row and mark it deleted.
func Delete(ctx context.Context, db *pgxpool.Pool, actor string, id int64) error {
	return withActor(ctx, db, actor, func(tx pgx.Tx) error {
		old, err := rowImage(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM members WHERE id = $1`, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, id, "DELETE", actor, old)
	})
}

// rowImage reads a member's row as the audit keeps it, or ErrNotFound.
func rowImage(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var img []byte
	err := tx.QueryRow(ctx, `SELECT to_jsonb(m) FROM members m WHERE id = $1`, id).Scan(&img)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return img, err
}

// writeAudit appends a change to member_audit: the old row as given, the
// new one as the table holds it now.
//
// TODO: written here, the audit sees only the changes made through these
// functions; an UPDATE from psql, a migration or another service leaves
// no trace. A trigger on members sees them all.
func writeAudit(ctx context.Context, tx pgx.Tx, id int64, action, actor string, old []byte) error {
	_, err := tx.Exec(ctx, `INSERT INTO member_audit (member_id, action, changed_by, old_row, new_row)
SELECT $1, $2, $3, $4, (SELECT to_jsonb(m) FROM members m WHERE m.id = $1)`, id, action, actor, old)
	return err
}

// Get returns a live member.
//
// TODO: Get, FindByEmail and ListByPlan are the read paths: none of them
// may return a deleted member.
func Get(ctx context.Context, db *pgxpool.Pool, id int64) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE id = $1`, id))
}

// FindByEmail returns the live member with this e-mail.
func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE email = $1`, email))
}

// ListByPlan returns the live members on a plan, by id.
func ListByPlan(ctx context.Context, db *pgxpool.Pool, plan string) ([]Member, error) {
	rows, err := db.Query(ctx, `SELECT `+memberColumns+` FROM members WHERE plan = $1 ORDER BY id`, plan)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) { return scanMember(row) })
}

// AsOf returns member id's row as it was at time t: the state left by
// the changes made at or before t, deleted_at included (a member deleted
// by then comes back with DeletedAt set). It returns ErrNotFound when
// the row did not exist at t: not signed up yet, or erased for good.
//
// TODO: this returns the row as it is now. The audit knows what it was.
func AsOf(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE id = $1`, id))
}
